using System.Text.Json;
using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <param name="Identified">at least one candidate passed: a live capture of verification quality scoring at least the threshold.</param>
/// <param name="Fmr">the calibrated false match rate of <paramref name="Threshold"/>: the loosest with FMR ≤ FpirTarget / GallerySize.</param>
public sealed record IdentifyResponse(
    string SearchId,
    bool Identified,
    IReadOnlyList<CandidateDto> Candidates,
    int GallerySize,
    float Threshold,
    double Fmr,
    double FpirTarget,
    string TemplateAggregation,
    LivenessDto Liveness,
    QualityDto Quality,
    FaceDto Face,
    ModelsDto Models,
    TimingsDto TimingsMs) : IHasOpenApiExample<IdentifyResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static IdentifyResponse Example { get; } = new(
        "4b7d9e1a2c3f4a5b6c7d8e9f0a1b2c3d", Identified: true, [CandidateDto.Example], GallerySize: 640, Threshold: 0.4794f, Fmr: 1e-05,
        FpirTarget: 0.01, "mean",
        VerifyResponse.Example.Liveness, VerifyResponse.Example.Quality, FaceDto.Example, VerifyResponse.Example.Models,
        VerifyResponse.Example.TimingsMs);

    public static IdentifyResponse From(IdentificationResult r) => new(
        r.SearchId,
        r.Candidates.Count > 0,
        r.Candidates.Select(c => CandidateDto.From(c)).ToList(),
        r.Policy.GallerySize,
        r.Policy.Threshold,
        r.Policy.Fmr,
        r.Policy.FpirTarget,
        JsonNamingPolicy.KebabCaseLower.ConvertName(r.Policy.Match.Aggregation.ToString()),
        LivenessDto.From(r.Liveness),
        QualityDto.From(r.Quality),
        FaceDto.From(r.Analysis.Face),
        ModelsDto.From(r.Models),
        TimingsDto.From(r.Timings));
}
