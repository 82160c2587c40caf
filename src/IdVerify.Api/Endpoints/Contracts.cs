using IdVerify.Core.Detection;
using IdVerify.Core.Liveness;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints;

public sealed record EnrollJsonRequest(string? SubjectId, IReadOnlyList<string>? Images);

public sealed record VerifyJsonRequest(
    string? SubjectId,
    string? Image,
    double? FmrTarget = null,
    string? ChallengeId = null,
    IReadOnlyList<string>? Frames = null);

public sealed record ChallengeRequest(string? SubjectId);

public sealed record ChallengeDto(string ChallengeId, string Nonce, string? SubjectId, IReadOnlyList<string> Actions, DateTimeOffset ExpiresAt)
{
    public static ChallengeDto From(LivenessChallenge c) => new(c.ChallengeId, c.Nonce, c.SubjectId, c.Actions, c.ExpiresAt);
}

public sealed record ChallengeResultDto(
    string ChallengeId,
    bool Passed,
    IReadOnlyList<string> ActionsRequested,
    IReadOnlyList<string> ActionsObserved,
    ChallengeChecks Checks,
    int Frames,
    int FramesWithFace,
    IReadOnlyList<float?> FrameYaws,
    float MinSamePersonScore,
    float MedianLivenessScore)
{
    public static ChallengeResultDto? From(ChallengeOutcome? o) => o is null ? null : new(
        o.Challenge.ChallengeId, o.Checks.Passed, o.Challenge.Actions, o.ObservedActions, o.Checks, o.FrameYaws.Count, o.FramesWithFace,
        o.FrameYaws, o.MinSamePersonScore, o.MedianLivenessScore);
}

public sealed record BoxDto(float X, float Y, float Width, float Height);

public sealed record FaceDto(BoxDto Box, IReadOnlyList<float[]> Landmarks, float Confidence)
{
    public static FaceDto From(DetectedFace face) => new(
        new BoxDto(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height),
        face.Landmarks.Select(p => new[] { p.X, p.Y }).ToList(),
        face.Score);
}

public sealed record LivenessDto(bool Passed, float Score, float Threshold, string? Reason)
{
    public static LivenessDto From(LivenessResult l) => new(l.Passed, l.Score, l.Threshold, l.Reason);
}

public sealed record QualityDto(bool Passed, IReadOnlyList<string> Issues, QualityValues Values)
{
    public static QualityDto From(QualityReport q) => new(q.Passed, q.Issues, q.Values);
}

public sealed record ModelsDto(string Detector, string Embedder, string Liveness);

public sealed record TimingsDto(double Decode, double Detect, double Align, double Embed, double Liveness, double Match, double Total)
{
    public static TimingsDto From(StageTimings t) =>
        new(Round(t.Decode), Round(t.Detect), Round(t.Align), Round(t.Embed), Round(t.Liveness), Round(t.Match), Round(t.Total));

    private static double Round(double ms) => Math.Round(ms, 2);
}

public sealed record VerifyResponse(
    string DecisionId,
    string SubjectId,
    bool Verified,
    bool Match,
    float Score,
    float Threshold,
    double FmrTarget,
    string TemplateAggregation,
    int TemplatesCompared,
    LivenessDto Liveness,
    QualityDto Quality,
    FaceDto Face,
    ModelsDto Models,
    TimingsDto TimingsMs,
    ChallengeResultDto? Challenge);

public sealed record TemplateDto(string TemplateId, string EmbedderId, string EmbedderSha256, DateTimeOffset CreatedAt, TemplateQuality Quality)
{
    public static TemplateDto From(FaceTemplate t) => new(t.TemplateId, t.EmbedderId, t.EmbedderSha256, t.CreatedAt, t.Quality);
}

public sealed record SubjectDto(string SubjectId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int TemplateCount, IReadOnlyList<TemplateDto> Templates)
{
    public static SubjectDto From(Subject s) =>
        new(s.SubjectId, s.CreatedAt, s.UpdatedAt, s.Templates.Count, s.Templates.Select(TemplateDto.From).ToList());
}

public sealed record EnrollResponse(SubjectDto Subject, IReadOnlyList<TemplateDto> Templates, IReadOnlyList<FaceDto> Faces);
