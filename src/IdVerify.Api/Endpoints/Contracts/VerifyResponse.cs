using System.Text.Json;
using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

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
    ChallengeResultDto? Challenge)
{
    public static VerifyResponse From(VerificationResult r) => new(
        r.DecisionId,
        r.SubjectId,
        r.Verdict.Verified,
        r.Verdict.Match,
        r.Verdict.Score,
        r.Policy.Threshold,
        r.Policy.FmrTarget,
        JsonNamingPolicy.KebabCaseLower.ConvertName(r.Policy.Aggregation.ToString()),
        r.TemplatesCompared,
        LivenessDto.From(r.Liveness),
        QualityDto.From(r.Verdict.Quality),
        FaceDto.From(r.Analysis.Face),
        ModelsDto.From(r.Models),
        TimingsDto.From(r.Timings),
        ChallengeResultDto.From(r.Challenge));
}
