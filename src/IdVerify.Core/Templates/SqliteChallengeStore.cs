using System.Text.Json;
using IdVerify.Core.Liveness;
using static IdVerify.Core.Templates.SqliteDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// Liveness challenges in the <c>challenges</c> table of <see cref="SqliteDatabase"/>. Consuming reads and marks the row in one
/// immediate transaction, so of two requests racing for one challenge exactly one gets it.
/// </summary>
public sealed class SqliteChallengeStore(SqliteDatabase database) : IChallengeStore
{
    public Task SaveChallengeAsync(LivenessChallenge challenge, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        Execute(connection, null, """
            INSERT INTO challenges (challenge_id, nonce, subject_id, actions, created_at, expires_at)
            VALUES ($id, $n, $s, $a, $c, $e)
            """,
            ("$id", challenge.ChallengeId), ("$n", challenge.Nonce), ("$s", (object?)challenge.SubjectId ?? DBNull.Value),
            ("$a", JsonSerializer.Serialize(challenge.Actions)), ("$c", Timestamp(challenge.CreatedAt)), ("$e", Timestamp(challenge.ExpiresAt)));
        return Task.CompletedTask;
    }

    public async Task<LivenessChallenge> ConsumeChallengeAsync(string challengeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT nonce, subject_id, actions, created_at, expires_at, used_at FROM challenges WHERE challenge_id = $id";
        command.Parameters.AddWithValue("$id", challengeId);
        LivenessChallenge challenge;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new IdVerifyException(ErrorCodes.ChallengeNotFound, $"Challenge '{challengeId}' does not exist.");
            }

            if (!reader.IsDBNull(5))
            {
                throw new IdVerifyException(ErrorCodes.ChallengeUsed, $"Challenge '{challengeId}' was already used; request a new one.");
            }

            challenge = new LivenessChallenge(challengeId, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                JsonSerializer.Deserialize<string[]>(reader.GetString(2))!, ParseTimestamp(reader.GetString(3)), ParseTimestamp(reader.GetString(4)));
        }

        // Spent even when expired, so a late replay cannot be retried either.
        Execute(connection, transaction, "UPDATE challenges SET used_at = $t WHERE challenge_id = $id", ("$t", Timestamp(now)), ("$id", challengeId));
        await transaction.CommitAsync(cancellationToken);
        if (now >= challenge.ExpiresAt)
        {
            throw new IdVerifyException(ErrorCodes.ChallengeExpired, $"Challenge '{challengeId}' expired at {challenge.ExpiresAt:O}.");
        }

        return challenge;
    }
}
