using System.Text.Json;
using IdVerify.Core.Liveness;
using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>
/// Liveness challenges in PostgreSQL. Consuming is one conditional UPDATE (<c>used_at IS NULL</c>) that returns the row,
/// so of requests racing for one challenge at any instances exactly one gets it.
/// </summary>
public sealed class PostgresChallengeStore(PostgresDatabase database) : IChallengeStore
{
    public async Task SaveChallengeAsync(LivenessChallenge challenge, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO challenges (challenge_id, nonce, subject_id, actions, created_at, expires_at)
            VALUES (@id, @n, @s, @a, @c, @e)
            """, cancellationToken,
            ("id", challenge.ChallengeId), ("n", challenge.Nonce), ("s", challenge.SubjectId),
            ("a", JsonSerializer.Serialize(challenge.Actions)), ("c", Utc(challenge.CreatedAt)), ("e", Utc(challenge.ExpiresAt)));
    }

    public async Task<LivenessChallenge> ConsumeChallengeAsync(string challengeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        LivenessChallenge? challenge = null;
        // Spent even when expired, so a late replay cannot be retried either.
        await using (var command = Prepare(connection, null, """
            UPDATE challenges SET used_at = @t WHERE challenge_id = @id AND used_at IS NULL
            RETURNING nonce, subject_id, actions, created_at, expires_at
            """, ("t", Utc(now)), ("id", challengeId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                challenge = new LivenessChallenge(challengeId, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    JsonSerializer.Deserialize<string[]>(reader.GetString(2))!, reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetFieldValue<DateTimeOffset>(4));
            }
        }

        if (challenge is null)
        {
            var exists = await ScalarAsync(connection, null, "SELECT 1 FROM challenges WHERE challenge_id = @id", cancellationToken, ("id", challengeId));
            throw exists is null
                ? new IdVerifyException(ErrorCodes.ChallengeNotFound, $"Challenge '{challengeId}' does not exist.")
                : new IdVerifyException(ErrorCodes.ChallengeUsed, $"Challenge '{challengeId}' was already used; request a new one.");
        }

        if (now >= challenge.ExpiresAt)
        {
            throw new IdVerifyException(ErrorCodes.ChallengeExpired, $"Challenge '{challengeId}' expired at {challenge.ExpiresAt:O}.");
        }

        return challenge;
    }
}
