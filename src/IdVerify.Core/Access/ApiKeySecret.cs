using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IdVerify.Core.Access;

/// <summary>The key format: <c>idv_</c> and the base64url of 32 random bytes (256 bits), and the hash it is stored by.</summary>
public static class ApiKeySecret
{
    public const string Prefix = "idv_";

    /// <summary>Longest string worth hashing: a real key is 47 characters.</summary>
    public const int MaxLength = 128;

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// SHA-256 of the key's text. A fast hash is enough: the key is 256 random bits, so there is no dictionary to try, and
    /// a slow password hash would cost every verify request.
    /// </summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether the text could be a key at all (format and length), checked before hashing or touching the store.</summary>
    public static bool IsWellFormed(string key) => key.Length is > 4 and <= MaxLength && key.StartsWith(Prefix, StringComparison.Ordinal);
}
