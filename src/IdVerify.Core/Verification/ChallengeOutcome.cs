using IdVerify.Core.Liveness;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Verification;

/// <param name="Failures">one <see cref="ChallengeFailures"/> code per failed check; empty when the challenge passed.</param>
/// <param name="MinSamePersonScore">the lowest cosine of a frontal frame to <paramref name="BestFrame"/>.</param>
/// <param name="LivenessScore">the mean P(live) of the frames the passive check judged.</param>
/// <param name="BestFrame">the most frontal tracked frame: the one matched against the templates.</param>
public sealed record ChallengeOutcome(
    LivenessChallenge Challenge,
    ChallengeChecks Checks,
    IReadOnlyList<string> Failures,
    IReadOnlyList<string> ObservedActions,
    IReadOnlyList<ChallengeFrame> Frames,
    float MinSamePersonScore,
    float LivenessScore,
    FaceAnalysis BestFrame,
    int FramesWithFace);

/// <summary>What the challenge saw in one frame of the burst.</summary>
/// <param name="Yaw">calibrated head yaw of the tracked face (degrees, + = nose toward the image's right edge); null when not tracked here or rolled past <see cref="ChallengeOptions.MaxRoll"/>.</param>
/// <param name="Frontal">|yaw| ≤ <see cref="ChallengeOptions.MaxFrontalYaw"/>: compared with the other frontal frames and eligible for the passive check.</param>
/// <param name="SamePersonScore">cosine to the most frontal frame (frontal frames only).</param>
/// <param name="LivenessScore">fused P(live) of the tracked face.</param>
/// <param name="LivenessJudged">whether this frame is one the passive check decided on.</param>
public sealed record ChallengeFrame(
    int Index,
    float? Yaw,
    bool Frontal,
    float? SamePersonScore,
    float? LivenessScore,
    bool LivenessJudged);
