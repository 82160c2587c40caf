using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ChallengeResultDto(
    string ChallengeId,
    bool Passed,
    IReadOnlyList<string> ActionsRequested,
    IReadOnlyList<string> ActionsObserved,
    ChallengeChecksDto Checks,
    int Frames,
    int FramesWithFace,
    IReadOnlyList<float?> FrameYaws,
    float MinSamePersonScore,
    float MedianLivenessScore)
{
    public static ChallengeResultDto? From(ChallengeOutcome? o) => o is null ? null : new(
        o.Challenge.ChallengeId, o.Checks.Passed, o.Challenge.Actions, o.ObservedActions, ChallengeChecksDto.From(o.Checks), o.FrameYaws.Count,
        o.FramesWithFace, o.FrameYaws, o.MinSamePersonScore, o.MedianLivenessScore);
}
