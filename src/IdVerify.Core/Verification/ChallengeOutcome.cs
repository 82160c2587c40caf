using IdVerify.Core.Liveness;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Verification;

public sealed record ChallengeOutcome(
    LivenessChallenge Challenge,
    ChallengeChecks Checks,
    IReadOnlyList<string> ObservedActions,
    IReadOnlyList<float?> FrameYaws,
    float MinSamePersonScore,
    float MedianLivenessScore,
    FaceAnalysis BestFrame,
    int FramesWithFace);
