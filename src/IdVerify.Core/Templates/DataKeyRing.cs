using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdVerify.Core.Templates;

/// <summary>
/// The data keys that seal templates and face crops at rest (AES-256-GCM; ISO/IEC 24745 confidentiality and
/// renewability). Every sealed row records the id of its key, and binds its purpose and row id as associated data, so
/// a blob cannot be moved to another row or column. Keys come from a key file or configuration, never the database; a
/// row whose key is missing fails closed.
/// </summary>
public sealed class DataKeyRing
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly JsonSerializerOptions FileJson = new() { WriteIndented = true };
    private readonly Dictionary<string, byte[]> keys;

    public DataKeyRing(IReadOnlyDictionary<string, byte[]> keys, string activeId)
    {
        if (keys.Values.Any(k => k.Length != KeySize))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "Every data key must be 32 bytes (base64 of 32 random bytes).");
        }

        if (!keys.ContainsKey(activeId))
        {
            throw new IdVerifyException(ErrorCodes.DataKeyMissing, $"The active data key '{activeId}' is not among the configured data keys.");
        }

        this.keys = new Dictionary<string, byte[]>(keys, StringComparer.Ordinal);
        ActiveId = activeId;
    }

    /// <summary>The key new rows are sealed with.</summary>
    public string ActiveId { get; }

    public IReadOnlyCollection<string> Ids => keys.Keys;

    /// <summary>A ring of one new random key.</summary>
    public static DataKeyRing CreateNew()
    {
        var id = NewId();
        return new DataKeyRing(new Dictionary<string, byte[]> { [id] = RandomNumberGenerator.GetBytes(KeySize) }, id);
    }

    /// <summary>A copy holding one more new random key, made active.</summary>
    public DataKeyRing WithNewKey(string id)
    {
        if (keys.ContainsKey(id))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"A data key named '{id}' already exists.");
        }

        return new DataKeyRing(new Dictionary<string, byte[]>(keys) { [id] = RandomNumberGenerator.GetBytes(KeySize) }, id);
    }

    /// <summary>A copy holding only <paramref name="id"/>, active: the other keys are retired.</summary>
    public DataKeyRing Retain(string id) => new(new Dictionary<string, byte[]> { [id] = Key(id) }, id);

    /// <summary>A copy with another existing key made active.</summary>
    public DataKeyRing WithActive(string id) => new(keys, id);

    public byte[] Seal(string keyId, string purpose, string rowId, ReadOnlySpan<byte> plain)
    {
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(keyId), TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), AssociatedData(purpose, rowId));
        return blob;
    }

    /// <summary>Opens a sealed blob into <paramref name="plain"/> (its length is the blob's less 28 bytes).</summary>
    public void Open(string keyId, string purpose, string rowId, ReadOnlySpan<byte> blob, Span<byte> plain)
    {
        try
        {
            using var aes = new AesGcm(Key(keyId), TagSize);
            aes.Decrypt(blob[..NonceSize], blob[(NonceSize + TagSize)..], blob.Slice(NonceSize, TagSize), plain, AssociatedData(purpose, rowId));
        }
        catch (Exception ex) when (ex is AuthenticationTagMismatchException or ArgumentException)
        {
            throw new IdVerifyException(ErrorCodes.DataKeyMissing, $"The stored {purpose} of row {rowId} does not open with data key '{keyId}'.", ex);
        }
    }

    public static int PlainLength(int blobLength) => blobLength - NonceSize - TagSize;

    /// <summary>
    /// A secret of its own derived from one data key (HKDF-SHA256, <paramref name="label"/> as the info), so a data key's bytes
    /// never serve two purposes and the derived secret, like the key, never reaches the database.
    /// </summary>
    public byte[] Derive(string keyId, string label, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Key(keyId), length, info: Encoding.UTF8.GetBytes(label));

    /// <summary>Reads a key file: <c>{"active": "id", "keys": {"id": "base64"}}</c>.</summary>
    public static DataKeyRing Load(string path)
    {
        KeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{path} is not a data key file: {ex.Message}", ex);
        }

        if (file?.Keys is not { Count: > 0 } || file.Active is not { Length: > 0 })
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{path} names no active data key.");
        }

        return new DataKeyRing(file.Keys.ToDictionary(k => k.Key, k => FromBase64(k.Key, k.Value)), file.Active);
    }

    /// <summary>Writes the key file readable by its owner only (0600), replacing it in one rename.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var json = JsonSerializer.Serialize(new KeyFile(ActiveId, keys.ToDictionary(k => k.Key, k => Convert.ToBase64String(k.Value))), FileJson);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static byte[] FromBase64(string id, string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"Data key '{id}' is not valid base64.", ex);
        }
    }

    public static string NewId() => $"dk-{DateTime.UtcNow:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    private byte[] Key(string keyId) => keys.TryGetValue(keyId, out var key)
        ? key
        : throw new IdVerifyException(ErrorCodes.DataKeyMissing,
            $"Rows sealed with data key '{keyId}' cannot be read: that key is not configured (configured: {string.Join(", ", keys.Keys)}).");

    private static byte[] AssociatedData(string purpose, string rowId) => Encoding.UTF8.GetBytes($"{purpose}:{rowId}");

    private sealed record KeyFile(
        [property: JsonPropertyName("active")] string Active,
        [property: JsonPropertyName("keys")] Dictionary<string, string> Keys);
}
