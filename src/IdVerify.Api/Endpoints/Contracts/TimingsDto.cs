using IdVerify.Core.Pipeline;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record TimingsDto(double Decode, double Detect, double Align, double Embed, double Liveness, double Match, double Total)
{
    public static TimingsDto From(StageTimings t) =>
        new(Round(t.Decode), Round(t.Detect), Round(t.Align), Round(t.Embed), Round(t.Liveness), Round(t.Match), Round(t.Total));

    private static double Round(double ms) => Math.Round(ms, 2);
}
