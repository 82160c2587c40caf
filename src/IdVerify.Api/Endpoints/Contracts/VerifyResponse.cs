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
    ChallengeResultDto? Challenge) : IHasOpenApiExample<VerifyResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static VerifyResponse Example { get; } = new(
        "9c4e2a7b1f3d4e5a8b6c0d2e4f6a8b1c", "customer-0042", Verified: true, Match: true, Score: 0.653f, Threshold: 0.342f, FmrTarget: 0.0001,
        "max", TemplatesCompared: 1,
        new LivenessDto(true, 0.968f, 0.5f, null),
        new QualityDto(true, [], new QualityValuesDto(94.8f, 0.362f, 118.4f, 0.002f, 4.7f, -3.5f, 1.2f, false)),
        FaceDto.Example,
        new ModelsDto("retinaface-mnet025", "mobilefacenet-paddlex-128d", "minifasnet-v2-2.7"),
        new TimingsDto(6.12, 18.47, 0.83, 9.36, 7.91, 0.05, 43.02),
        null);

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
