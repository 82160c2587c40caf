using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Verification;

/// <summary>
/// One search's answer: the candidates passing <see cref="Policy"/>, best first. None are returned when the capture fails
/// liveness or quality, whatever the scores: a photo of a face must not find out who it is.
/// </summary>
public sealed record IdentificationResult(
    string SearchId,
    IReadOnlyList<IdentifiedCandidate> Candidates,
    IdentificationPolicy Policy,
    LivenessResult Liveness,
    QualityReport Quality,
    FaceAnalysis Analysis,
    StageTimings Timings,
    DecisionModels Models);
