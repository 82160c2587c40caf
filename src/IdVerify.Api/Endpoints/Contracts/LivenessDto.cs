using IdVerify.Core.Liveness;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record LivenessDto(bool Passed, float Score, float Threshold, string? Reason)
{
    public static LivenessDto From(LivenessResult l) => new(l.Passed, l.Score, l.Threshold, l.Reason);
}
