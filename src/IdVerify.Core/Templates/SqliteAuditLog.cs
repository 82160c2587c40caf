using System.Globalization;
using System.Text;
using System.Text.Json;
using IdVerify.Core.Audit;
using Microsoft.Data.Sqlite;
using static IdVerify.Core.Templates.SqliteDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// The audit log in the <c>audit_log</c> table of <see cref="SqliteDatabase"/>: append-only (triggers refuse UPDATE and DELETE)
/// and hash-chained (<see cref="AuditChain"/>). One writer at a time: appends in this process queue on a semaphore, and each
/// is one immediate transaction that reads the last hash and inserts after it, so another process (the CLI) cannot fork the
/// chain either.
/// </summary>
/// <param name="hmacKey">when set, records are chained with HMAC-SHA256 under it (<c>Audit:HmacKey</c>).</param>
public sealed class SqliteAuditLog(SqliteDatabase database, TimeProvider? time = null, byte[]? hmacKey = null) : IAuditLog, IAuditTrail, IDisposable
{
    private const string Columns = "seq, time, action, outcome, subject_id, actor, request_id, details, key_id, prev_hash, hash";

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly AuditChain chain = new(hmacKey);
    private readonly SemaphoreSlim writer = new(1, 1);

    /// <summary>The fingerprint of the key new records are chained under; null for plain SHA-256.</summary>
    public string? KeyId => chain.KeyId;

    public async Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var details = AuditChain.CanonicalDetails(auditEvent.Details);
        await writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = database.Open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            var (last, prevHash) = (0L, AuditChain.Genesis);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                if (await reader.ReadAsync(CancellationToken.None))
                {
                    (last, prevHash) = (reader.GetInt64(0), reader.GetString(1));
                }
            }

            // Never reuse a number SQLite handed out before: after a deleted tail the gap stays visible.
            var sequence = Math.Max(last, HighWater(connection, transaction)) + 1;
            var now = AuditChain.TimeText(clock.GetUtcNow());
            var content = AuditChain.Content(sequence, now, auditEvent.Action, auditEvent.Outcome, auditEvent.SubjectId, auditEvent.Actor,
                auditEvent.RequestId, details, chain.KeyId);
            Execute(connection, transaction, $"INSERT INTO audit_log ({Columns}) VALUES ($seq, $t, $a, $o, $s, $ac, $r, $d, $k, $p, $h)",
                ("$seq", sequence), ("$t", now), ("$a", auditEvent.Action), ("$o", auditEvent.Outcome), ("$s", OrNull(auditEvent.SubjectId)),
                ("$ac", OrNull(auditEvent.Actor)), ("$r", OrNull(auditEvent.RequestId)), ("$d", details), ("$k", OrNull(chain.KeyId)),
                ("$p", prevHash), ("$h", chain.Hash(prevHash, content)));
            await transaction.CommitAsync(CancellationToken.None);
        }
        finally
        {
            writer.Release();
        }
    }

    public async Task<AuditPage> ReadAsync(AuditFilter filter, AuditPageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var limit = Math.Clamp(page.Limit, 1, AuditPageRequest.MaxLimit);
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("seq > $after");
        command.Parameters.AddWithValue("$after", page.After);
        if (filter.SubjectId is { } subject)
        {
            where.Append(" AND subject_id = $s");
            command.Parameters.AddWithValue("$s", subject);
        }

        if (filter.Action is { } action)
        {
            where.Append(" AND action = $a");
            command.Parameters.AddWithValue("$a", action);
        }

        // Round-trip UTC text sorts as the instants do.
        if (filter.From is { } from)
        {
            where.Append(" AND time >= $from");
            command.Parameters.AddWithValue("$from", Timestamp(from));
        }

        if (filter.To is { } to)
        {
            where.Append(" AND time < $to");
            command.Parameters.AddWithValue("$to", Timestamp(to));
        }

        command.CommandText = $"SELECT {Columns} FROM audit_log WHERE {where} ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(ToRecord(Row.Read(reader)) ?? throw new IdVerifyException(ErrorCodes.AuditLogUnreadable,
                $"Audit record #{reader.GetInt64(0)} no longer parses (its time or details were edited); run idverify audit verify."));
        }

        var more = records.Count > limit;
        if (more)
        {
            records.RemoveAt(limit);
        }

        return new AuditPage(records, more ? records[^1].Sequence : null);
    }

    public async Task<AuditChainReport> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        // One snapshot (WAL): records appended meanwhile are not half-seen.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var highWater = HighWater(connection, transaction);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM audit_log ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (records, unkeyed, lastSequence, lastHash, keyedSeen) = (0L, 0L, 0L, AuditChain.Genesis, false);
        while (await reader.ReadAsync(cancellationToken))
        {
            records++;
            var row = Row.Read(reader);
            AuditBreak Broken(AuditBreakKind kind, string reason) => new(row.Sequence, kind, reason, ToRecord(row));

            AuditBreak? broken = null;
            string? expected = null;
            if (row.Sequence != lastSequence + 1)
            {
                broken = Broken(AuditBreakKind.Missing, lastSequence + 1 == row.Sequence - 1
                    ? $"record #{lastSequence + 1} is missing (deleted)"
                    : $"records #{lastSequence + 1} to #{row.Sequence - 1} are missing (deleted)");
            }
            else if (row.PrevHash != lastHash)
            {
                broken = Broken(AuditBreakKind.Relinked, lastSequence == 0
                    ? "the first record does not start the chain (records before it were deleted or it was moved)"
                    : $"its prev_hash is not record #{lastSequence}'s hash (a record was deleted, inserted or moved)");
            }
            else if (row.KeyId is null)
            {
                unkeyed++;
                broken = keyedSeen
                    ? Broken(AuditBreakKind.Downgraded, "it is chained with plain SHA-256 after records chained with a key (rewritten without the key)")
                    : null;
                expected = AuditChain.UnkeyedHash(row.PrevHash, row.Content());
            }
            else
            {
                keyedSeen = true;
                if (chain.KeyId is null)
                {
                    throw new IdVerifyException(ErrorCodes.InvalidRequest,
                        $"Audit record #{row.Sequence} is chained with HMAC key {row.KeyId}; give that key (Audit:HmacKey) to verify the log.");
                }

                broken = row.KeyId != chain.KeyId
                    ? Broken(AuditBreakKind.OtherKey, $"it is chained under key {row.KeyId}, not the given key {chain.KeyId}")
                    : null;
                expected = chain.Hash(row.PrevHash, row.Content());
            }

            if (broken is null && expected != row.Hash)
            {
                broken = Broken(AuditBreakKind.Edited, "its content does not give its hash (edited)");
            }

            if (broken is not null)
            {
                return new AuditChainReport(records, lastSequence, lastHash, unkeyed, chain.KeyId, broken);
            }

            (lastSequence, lastHash) = (row.Sequence, row.Hash);
        }

        var truncated = highWater > lastSequence
            ? new AuditBreak(lastSequence + 1, AuditBreakKind.Truncated,
                $"records #{lastSequence + 1} to #{highWater} were deleted from the end of the log", null)
            : null;
        return new AuditChainReport(records, lastSequence, lastHash, unkeyed, chain.KeyId, truncated);
    }

    public void Dispose() => writer.Dispose();

    private static long HighWater(SqliteConnection connection, SqliteTransaction transaction) =>
        Convert.ToInt64(Scalar(connection, transaction, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)"),
            CultureInfo.InvariantCulture);

    private static object OrNull(string? value) => (object?)value ?? DBNull.Value;

    /// <summary>The typed record; null when a tampered row no longer parses.</summary>
    private static AuditRecord? ToRecord(Row row)
    {
        try
        {
            var details = JsonSerializer.Deserialize<Dictionary<string, string?>>(row.Details) ?? [];
            return new AuditRecord(row.Sequence, ParseTimestamp(row.Time), row.Action, row.Outcome, row.SubjectId, row.Actor, row.RequestId,
                details, row.KeyId, row.PrevHash, row.Hash);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A row as stored, text for text: the hash is recomputed from exactly these strings.</summary>
    private sealed record Row(long Sequence, string Time, string Action, string Outcome, string? SubjectId, string? Actor, string? RequestId,
        string Details, string? KeyId, string PrevHash, string Hash)
    {
        public static Row Read(SqliteDataReader r)
        {
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            return new Row(r.GetInt64(0), Text(1) ?? "", Text(2) ?? "", Text(3) ?? "", Text(4), Text(5), Text(6), Text(7) ?? "", Text(8),
                Text(9) ?? "", Text(10) ?? "");
        }

        public string Content() => AuditChain.Content(Sequence, Time, Action, Outcome, SubjectId, Actor, RequestId, Details, KeyId);
    }
}
