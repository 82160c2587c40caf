namespace IdVerify.Api.Infrastructure;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Keys;

    /// <summary>
    /// How long a key looked up in the store is trusted from memory. A key revoked over HTTP is refused at once; one
    /// revoked with the CLI (another process) within this time.
    /// </summary>
    public TimeSpan KeyCacheTtl { get; set; } = TimeSpan.FromSeconds(10);
}
