using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdVerify.Core.Audit;

/// <summary>
/// How a record is hashed, written once for the store, the verifier and whoever re-checks an export:
/// <c>hash = hex(SHA-256(UTF-8(prev_hash + content)))</c>, or <c>hex(HMAC-SHA256(key, …))</c> over the same bytes when the
/// log has a key. <c>content</c> is the record as canonical JSON: the fields <c>action, actor, details, key_id, outcome,
/// request_id, seq, subject_id, time</c>, keys sorted (ordinal, also inside <c>details</c>), no whitespace, strings escaped only
/// where JSON requires it (<c>"</c>, <c>\</c>, control characters), everything else literal: what Python's
/// <c>json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)</c> writes. The sequence number is in
/// the content, so moving a record breaks its hash; the previous hash is in the input, so deleting one breaks the next.
/// </summary>
public sealed class AuditChain(byte[]? key)
{
    /// <summary>The previous hash of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The fingerprint of the key, stored with each record it chains; null without a key.</summary>
    public string? KeyId { get; } = key is null ? null : KeyIdOf(key);

    /// <summary>The first 8 bytes of the key's SHA-256, in hex: names a key without revealing it.</summary>
    public static string KeyIdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    /// <summary>A record's time as it is stored and hashed: round-trip ISO 8601 in UTC (<c>2026-05-01T09:30:00.0000000Z</c>).</summary>
    public static string TimeText(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The hash of a record with this chain's key (or SHA-256 without one).</summary>
    public string Hash(string prevHash, string content) => Hash(prevHash, content, key);

    /// <summary>The hash of a record chained with plain SHA-256, whatever this chain's key.</summary>
    public static string UnkeyedHash(string prevHash, string content) => Hash(prevHash, content, null);

    /// <summary>The canonical content of a record; <paramref name="details"/> is already canonical JSON (<see cref="CanonicalDetails"/>).</summary>
    public static string Content(long sequence, string time, string action, string outcome, string? subjectId, string? actor,
        string? requestId, string details, string? keyId) =>
        Write(sequence, time, action, outcome, subjectId, actor, requestId, details, keyId, null, null);

    /// <summary>Details as canonical JSON: an object of string (or null) values, keys sorted ordinally.</summary>
    public static string CanonicalDetails(IReadOnlyDictionary<string, string?>? details)
    {
        var json = new StringBuilder("{");
        foreach (var (name, value) in (details ?? new Dictionary<string, string?>()).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            AppendString(json, name);
            json.Append(':');
            AppendString(json, value);
        }

        return json.Append('}').ToString();
    }

    /// <summary>
    /// One line of an export (JSON Lines): the canonical content with <c>hash</c> and <c>prev_hash</c> added, still sorted, so
    /// a reader re-checks a line by removing those two fields and hashing <c>prev_hash</c> + the canonical rest.
    /// </summary>
    public static string ExportLine(AuditRecord record) =>
        Write(record.Sequence, TimeText(record.Time), record.Action, record.Outcome, record.SubjectId, record.Actor, record.RequestId,
            CanonicalDetails(record.Details), record.KeyId, record.Hash, record.PrevHash);

    /// <summary>The fields in sorted order; <paramref name="hash"/> and <paramref name="prevHash"/> only for an export.</summary>
    private static string Write(long sequence, string time, string action, string outcome, string? subjectId, string? actor,
        string? requestId, string details, string? keyId, string? hash, string? prevHash)
    {
        var json = new StringBuilder(256);
        json.Append("{\"action\":");
        AppendString(json, action);
        json.Append(",\"actor\":");
        AppendString(json, actor);
        json.Append(",\"details\":").Append(details);
        if (hash is not null)
        {
            json.Append(",\"hash\":");
            AppendString(json, hash);
        }

        json.Append(",\"key_id\":");
        AppendString(json, keyId);
        json.Append(",\"outcome\":");
        AppendString(json, outcome);
        if (prevHash is not null)
        {
            json.Append(",\"prev_hash\":");
            AppendString(json, prevHash);
        }

        json.Append(",\"request_id\":");
        AppendString(json, requestId);
        json.Append(",\"seq\":").Append(sequence.ToString(CultureInfo.InvariantCulture));
        json.Append(",\"subject_id\":");
        AppendString(json, subjectId);
        json.Append(",\"time\":");
        AppendString(json, time);
        return json.Append('}').ToString();
    }

    private static string Hash(string prevHash, string content, byte[]? key)
    {
        var bytes = Encoding.UTF8.GetBytes(prevHash + content);
        return Convert.ToHexStringLower(key is null ? SHA256.HashData(bytes) : HMACSHA256.HashData(key, bytes));
    }

    private static void AppendString(StringBuilder json, string? value)
    {
        if (value is null)
        {
            json.Append("null");
            return;
        }

        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }

        json.Append('"');
    }
}
