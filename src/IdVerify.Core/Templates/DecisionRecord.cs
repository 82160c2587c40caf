namespace IdVerify.Core.Templates;

/// <summary>One verification outcome, kept for audit: scores and model ids, never the image.</summary>
public sealed record DecisionRecord(
    string DecisionId,
    string SubjectId,
    DateTimeOffset CreatedAt,
    bool Verified,
    bool Match,
    float Score,
    float Threshold,
    double FmrTarget,
    bool LivenessPassed,
    float LivenessScore,
    string DetectorId,
    string EmbedderId,
    string LivenessId);
