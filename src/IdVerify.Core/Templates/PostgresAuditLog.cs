using System.Data;
using System.Text;
using IdVerify.Core.Audit;
using Npgsql;
using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// The audit log in PostgreSQL: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained
/// (<see cref="AuditChain"/>). Each append is one transaction that locks the <c>audit_high_water</c> row, reads the last
/// hash and inserts after it, so appends from every instance serialise and the chain never forks.
/// </summary>
/// <param name="hmacKey">when set, records are chained with HMAC-SHA256 under it (<c>Audit:HmacKey</c>).</param>
public sealed class PostgresAuditLog(PostgresDatabase database, TimeProvider? time = null, byte[]? hmacKey = null) : IAuditLog, IAuditTrail
{
    private const string Columns = "seq, time, action, outcome, subject_id, actor, request_id, details, key_id, prev_hash, hash";

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly AuditChain chain = new(hmacKey);

    public async Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var details = AuditChain.CanonicalDetails(auditEvent.Details);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        var highWater = (long)(await ScalarAsync(connection, transaction, "SELECT seq FROM audit_high_water FOR UPDATE", CancellationToken.None))!;
        var (last, prevHash) = (0L, AuditChain.Genesis);
        await using (var command = Prepare(connection, transaction, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
        {
            if (await reader.ReadAsync(CancellationToken.None))
            {
                (last, prevHash) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        // Never reuse a number handed out before: after a deleted tail the gap stays visible.
        var sequence = Math.Max(last, highWater) + 1;
        var now = AuditChain.TimeText(clock.GetUtcNow());
        var content = AuditChain.Content(sequence, now, auditEvent.Action, auditEvent.Outcome, auditEvent.SubjectId, auditEvent.Actor,
            auditEvent.RequestId, details, chain.KeyId);
        await ExecuteAsync(connection, transaction, $"INSERT INTO audit_log ({Columns}) VALUES (@seq, @t, @a, @o, @s, @ac, @r, @d, @k, @p, @h)",
            CancellationToken.None, ("seq", sequence), ("t", now), ("a", auditEvent.Action), ("o", auditEvent.Outcome), ("s", auditEvent.SubjectId),
            ("ac", auditEvent.Actor), ("r", auditEvent.RequestId), ("d", details), ("k", chain.KeyId), ("p", prevHash),
            ("h", chain.Hash(prevHash, content)));
        await ExecuteAsync(connection, transaction, "UPDATE audit_high_water SET seq = @seq", CancellationToken.None, ("seq", sequence));
        await transaction.CommitAsync(CancellationToken.None);
    }

    public async Task<AuditPage> ReadAsync(AuditFilter filter, AuditPageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var limit = Math.Clamp(page.Limit, 1, AuditPageRequest.MaxLimit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var where = new StringBuilder("seq > @after");
        command.Parameters.AddWithValue("after", page.After);
        if (filter.SubjectId is { } subject)
        {
            where.Append(" AND subject_id = @s");
            command.Parameters.AddWithValue("s", subject);
        }

        if (filter.Action is { } action)
        {
            where.Append(" AND action = @a");
            command.Parameters.AddWithValue("a", action);
        }

        // Round-trip UTC text sorts as the instants do, byte for byte (the C collation, whatever the database's).
        if (filter.From is { } from)
        {
            where.Append(" AND time COLLATE \"C\" >= @from");
            command.Parameters.AddWithValue("from", AuditChain.TimeText(from));
        }

        if (filter.To is { } to)
        {
            where.Append(" AND time COLLATE \"C\" < @to");
            command.Parameters.AddWithValue("to", AuditChain.TimeText(to));
        }

        command.CommandText = $"SELECT {Columns} FROM audit_log WHERE {where} ORDER BY seq LIMIT @limit";
        command.Parameters.AddWithValue("limit", limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRow.ReadPageAsync(reader, limit, cancellationToken);
    }

    public async Task<AuditChainReport> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One snapshot: records appended meanwhile are not half-seen.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var highWater = (long)(await ScalarAsync(connection, transaction, "SELECT seq FROM audit_high_water", cancellationToken))!;
        await using var command = Prepare(connection, transaction, $"SELECT {Columns} FROM audit_log ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditChainVerifier.VerifyAsync(chain, AuditRow.ReadAll(reader, cancellationToken), () => highWater, cancellationToken);
    }
}
