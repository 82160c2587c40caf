using System.Globalization;
using System.Text;
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
        return await AuditRow.ReadPageAsync(reader, limit, cancellationToken);
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
        return await AuditChainVerifier.VerifyAsync(chain, AuditRow.ReadAll(reader, cancellationToken), () => highWater, cancellationToken);
    }

    public void Dispose() => writer.Dispose();

    private static long HighWater(SqliteConnection connection, SqliteTransaction transaction) =>
        Convert.ToInt64(Scalar(connection, transaction, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)"),
            CultureInfo.InvariantCulture);

    private static object OrNull(string? value) => (object?)value ?? DBNull.Value;
}
