using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace IdVerify.Core.Audit;

/// <summary>An audit_log row as stored (columns seq, time, action, outcome, subject_id, actor, request_id, details, key_id, prev_hash, hash), text for text: the hash is recomputed from exactly these strings (both stores).</summary>
internal sealed record AuditRow(long Sequence, string Time, string Action, string Outcome, string? SubjectId, string? Actor, string? RequestId,
    string Details, string? KeyId, string PrevHash, string Hash)
{
    public static AuditRow Read(DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new AuditRow(r.GetInt64(0), Text(1) ?? "", Text(2) ?? "", Text(3) ?? "", Text(4), Text(5), Text(6), Text(7) ?? "", Text(8),
            Text(9) ?? "", Text(10) ?? "");
    }

    /// <summary>One page of a query that asked for <paramref name="limit"/> + 1 rows: the extra row only says there is more.</summary>
    public static async Task<AuditPage> ReadPageAsync(DbDataReader reader, int limit, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader).ToReadableRecord());
        }

        var more = records.Count > limit;
        if (more)
        {
            records.RemoveAt(limit);
        }

        return new AuditPage(records, more ? records[^1].Sequence : null);
    }

    public static async IAsyncEnumerable<AuditRow> ReadAll(DbDataReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    public string Content() => AuditChain.Content(Sequence, Time, Action, Outcome, SubjectId, Actor, RequestId, Details, KeyId);

    /// <summary>The typed record; null when a tampered row no longer parses.</summary>
    public AuditRecord? ToRecord()
    {
        try
        {
            var details = JsonSerializer.Deserialize<Dictionary<string, string?>>(Details) ?? [];
            var time = DateTimeOffset.Parse(Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new AuditRecord(Sequence, time, Action, Outcome, SubjectId, Actor, RequestId, details, KeyId, PrevHash, Hash);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The typed record, or <c>audit_log_unreadable</c> for a row that no longer parses.</summary>
    public AuditRecord ToReadableRecord() => ToRecord() ?? throw new IdVerifyException(ErrorCodes.AuditLogUnreadable,
        $"Audit record #{Sequence} no longer parses (its time or details were edited); run idverify audit verify.");
}
