namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>HMAC-SHA256 wants a key at least as long as its output.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>
    /// Base64 of at least 32 random bytes. When set, each audit record is chained with HMAC-SHA256 under this key, so nobody
    /// without the key can rewrite the log and recompute a valid chain. Empty (the default): plain SHA-256, which shows an
    /// edit but not a rewrite of the whole chain by someone with write access to the file.
    /// </summary>
    public string HmacKey { get; set; } = "";

    /// <summary>The key's bytes; null when none is set or it is not valid base64.</summary>
    public byte[]? Key()
    {
        if (HmacKey.Length == 0)
        {
            return null;
        }

        var buffer = new byte[HmacKey.Length];
        return Convert.TryFromBase64String(HmacKey, buffer, out var written) ? buffer[..written] : null;
    }
}
