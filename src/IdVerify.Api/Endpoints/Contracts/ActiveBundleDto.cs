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
    float Threshold)
{
    public static ActiveBundleDto From(FaceServices services)
    {
        var p = services.Pipeline;
        return new ActiveBundleDto(ActiveModelDto.From(p.DetectorModel), ActiveModelDto.From(p.Embedder.Model),
            p.Liveness.Models.Select(m => ActiveModelDto.From(m.Model)).ToList(), p.LegacyEmbedders.Select(e => ActiveModelDto.From(e.Model)).ToList(),
            ExecutionProviderDto.From(p.Provider), Math.Round(p.WarmUpTime.TotalMilliseconds, 1), services.Policy.FmrTarget, services.Policy.Threshold);
    }
}
