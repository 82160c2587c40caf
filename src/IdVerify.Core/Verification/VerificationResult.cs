using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

public sealed record VerificationResult(
    string DecisionId,
    string SubjectId,
    Verdict Verdict,
    MatchPolicy Policy,
    LivenessResult Liveness,
    FaceAnalysis Analysis,
    int TemplatesCompared,
    StageTimings Timings,
    DecisionModels Models,
    AttemptState Attempts,
    ChallengeOutcome? Challenge = null);
