using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ActiveBundleDto(
    ActiveModelDto Detector,
    ActiveModelDto Embedder,
    IReadOnlyList<ActiveModelDto> Liveness,
    IReadOnlyList<ActiveModelDto> LegacyEmbedders,
    ExecutionProviderDto ExecutionProvider,
    double WarmUpMs,
    double FmrTarget,
    float Threshold) : IHasOpenApiExample<ActiveBundleDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static ActiveBundleDto Example { get; } = new(
        new ActiveModelDto("retinaface-mnet025", "detector", "retinaface", "e0e19bad8494b3f7a7edb39a90194ff055923e13a3453569a454386f857fe538",
            "biubug6/Pytorch_Retinaface code MIT; mobilenet0.25_Final weights trained on WIDER FACE"),
        new ActiveModelDto("mobilefacenet-paddlex-128d", "embedder", "arcface112", "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743",
            "PaddleX code Apache-2.0; trained on MS1Mv3 (check data terms before shipping)"),
        [new ActiveModelDto("minifasnet-v2-2.7", "liveness", "minifasnet", "7886c41bcbcc1be00cf8700eddbd8cbd4b1ad138e69010790de2a57a3b01d7e5",
            "minivision Silent-Face-Anti-Spoofing, Apache-2.0")],
        [], new ExecutionProviderDto("cpu", "cpu", null), 412.6, 0.0001, 0.342f);

    public static ActiveBundleDto From(FaceServices services)
    {
        var p = services.Pipeline;
        return new ActiveBundleDto(ActiveModelDto.From(p.DetectorModel), ActiveModelDto.From(p.Embedder.Model),
            p.Liveness.Models.Select(m => ActiveModelDto.From(m.Model)).ToList(), p.LegacyEmbedders.Select(e => ActiveModelDto.From(e.Model)).ToList(),
            ExecutionProviderDto.From(p.Provider), Math.Round(p.WarmUpTime.TotalMilliseconds, 1), services.Policy.FmrTarget, services.Policy.Threshold);
    }
}
