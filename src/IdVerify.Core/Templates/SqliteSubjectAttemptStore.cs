using System.Globalization;
using static IdVerify.Core.Templates.SqliteDatabase;

namespace IdVerify.Core.Templates;

/// <summary>The <c>subject_attempts</c> table of <see cref="SqliteDatabase"/>; a row exists only while failures are counted.</summary>
public sealed class SqliteSubjectAttemptStore(SqliteDatabase database) : ISubjectAttemptStore
{
    public async Task<AttemptState> GetAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT failures, locked_until FROM subject_attempts WHERE subject_id = $s";
        command.Parameters.AddWithValue("$s", subjectId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AttemptState(reader.GetInt32(0), reader.IsDBNull(1) ? null : ParseTimestamp(reader.GetString(1)))
            : new AttemptState(0, null);
    }

    public async Task<AttemptState> RecordAsync(string subjectId, bool verified, DateTimeOffset now, AttemptLimits limits,
        CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (verified)
        {
            Execute(connection, transaction, "DELETE FROM subject_attempts WHERE subject_id = $s", ("$s", subjectId));
            await transaction.CommitAsync(cancellationToken);
            return new AttemptState(0, null);
        }

        Execute(connection, transaction, """
            INSERT INTO subject_attempts (subject_id, failures) VALUES ($s, 1)
            ON CONFLICT(subject_id) DO UPDATE SET failures = failures + 1
            """, ("$s", subjectId));
        var failures = Convert.ToInt32(Scalar(connection, transaction, "SELECT failures FROM subject_attempts WHERE subject_id = $s",
            ("$s", subjectId)), CultureInfo.InvariantCulture);
        DateTimeOffset? lockedUntil = null;
        if (failures >= limits.MaxConsecutiveFailures)
        {
            // Every failure at or over the limit locks again, for twice as long as the one before.
            lockedUntil = now + limits.LockoutAfter(failures - limits.MaxConsecutiveFailures + 1);
            Execute(connection, transaction, "UPDATE subject_attempts SET locked_until = $u WHERE subject_id = $s",
                ("$u", Timestamp(lockedUntil.Value)), ("$s", subjectId));
        }

        await transaction.CommitAsync(cancellationToken);
        return new AttemptState(failures, lockedUntil, JustLocked: lockedUntil is not null);
    }

    public async Task<bool> UnlockAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        return Execute(connection, null, "DELETE FROM subject_attempts WHERE subject_id = $s", ("$s", subjectId)) > 0;
    }
}
