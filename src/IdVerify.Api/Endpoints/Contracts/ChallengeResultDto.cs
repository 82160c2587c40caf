using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <param name="Failures">why the challenge failed: face_lost, face_jumped, actions_not_seen, no_frontal_frame, not_same_person, passive_liveness_failed, too_few_frames.</param>
/// <param name="LivenessScore">the mean P(live) of the frames the passive check judged (frames[].livenessJudged).</param>
public sealed record ChallengeResultDto(
    string ChallengeId,
    bool Passed,
    IReadOnlyList<string> ActionsRequested,
    IReadOnlyList<string> ActionsObserved,
    ChallengeChecksDto Checks,
    IReadOnlyList<string> Failures,
    int FramesWithFace,
    IReadOnlyList<ChallengeFrameDto> Frames,
    float MinSamePersonScore,
    float LivenessScore)
{
    public static ChallengeResultDto? From(ChallengeOutcome? o) => o is null ? null : new(
        o.Challenge.ChallengeId, o.Checks.Passed, o.Challenge.Actions, o.ObservedActions, ChallengeChecksDto.From(o.Checks), o.Failures,
        o.FramesWithFace, o.Frames.Select(ChallengeFrameDto.From).ToList(), o.MinSamePersonScore, o.LivenessScore);
}
