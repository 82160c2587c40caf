using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>Decisions in PostgreSQL: one INSERT each, so a record is never half-written.</summary>
public sealed class PostgresDecisionLog(PostgresDatabase database) : IDecisionLog
{
    public async Task RecordDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO decisions (decision_id, subject_id, created_at, verified, match, score, threshold, fmr_target,
                liveness_passed, liveness_score, detector_id, embedder_id, liveness_id)
            VALUES (@id, @s, @t, @v, @m, @sc, @th, @f, @lp, @ls, @det, @emb, @liv)
            """, cancellationToken,
            ("id", decision.DecisionId), ("s", decision.SubjectId), ("t", Utc(decision.CreatedAt)),
            ("v", decision.Verified), ("m", decision.Match), ("sc", decision.Score), ("th", decision.Threshold),
            ("f", decision.FmrTarget), ("lp", decision.LivenessPassed), ("ls", decision.LivenessScore),
            ("det", decision.DetectorId), ("emb", decision.EmbedderId), ("liv", decision.LivenessId));
    }

    public async Task<DecisionRecord?> GetDecisionAsync(string decisionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null, """
            SELECT decision_id, subject_id, created_at, verified, match, score, threshold, fmr_target,
                   liveness_passed, liveness_score, detector_id, embedder_id, liveness_id
            FROM decisions WHERE decision_id = @id
            """, ("id", decisionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new DecisionRecord(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetBoolean(3), reader.GetBoolean(4), reader.GetFloat(5), reader.GetFloat(6), reader.GetDouble(7),
            reader.GetBoolean(8), reader.GetFloat(9), reader.GetString(10), reader.GetString(11), reader.GetString(12));
    }
}
