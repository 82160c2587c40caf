namespace IdVerify.Core.Liveness;

public sealed record LivenessResult(bool Passed, float Score, float Threshold, string? Reason = null);
