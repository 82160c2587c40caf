using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// Failed-verify counts in PostgreSQL. A failure is one upsert that increments and returns the count while holding the
/// row's lock to commit, so failures through any instances are counted atomically and the lock follows the count.
/// </summary>
public sealed class PostgresSubjectAttemptStore(PostgresDatabase database) : ISubjectAttemptStore
{
    public async Task<AttemptState> GetAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null, "SELECT failures, locked_until FROM subject_attempts WHERE subject_id = @s", ("s", subjectId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AttemptState(reader.GetInt32(0), ReadTime(reader, 1))
            : new AttemptState(0, null);
    }

    public async Task<AttemptState> RecordAsync(string subjectId, bool verified, DateTimeOffset now, AttemptLimits limits,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (verified)
        {
            await ExecuteAsync(connection, null, "DELETE FROM subject_attempts WHERE subject_id = @s", cancellationToken, ("s", subjectId));
            return new AttemptState(0, null);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var failures = (int)(await ScalarAsync(connection, transaction, """
            INSERT INTO subject_attempts (subject_id, failures) VALUES (@s, 1)
            ON CONFLICT (subject_id) DO UPDATE SET failures = subject_attempts.failures + 1
            RETURNING failures
            """, cancellationToken, ("s", subjectId)))!;
        DateTimeOffset? lockedUntil = null;
        if (failures >= limits.MaxConsecutiveFailures)
        {
            // Every failure at or over the limit locks again, for twice as long as the one before.
            lockedUntil = now + limits.LockoutAfter(failures - limits.MaxConsecutiveFailures + 1);
            await ExecuteAsync(connection, transaction, "UPDATE subject_attempts SET locked_until = @u WHERE subject_id = @s", cancellationToken,
                ("u", Utc(lockedUntil.Value)), ("s", subjectId));
        }

        await transaction.CommitAsync(cancellationToken);
        return new AttemptState(failures, lockedUntil, JustLocked: lockedUntil is not null);
    }

    public async Task<bool> UnlockAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM subject_attempts WHERE subject_id = @s", cancellationToken, ("s", subjectId)) > 0;
    }
}
