using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Verification;

/// <summary>
/// The verification rule, written once: a probe is verified when it matches the templates at the policy's
/// threshold, the liveness check passed, and the capture meets the verification quality bounds.
/// </summary>
public sealed record Verdict(float Score, bool Match, QualityReport Quality, bool Verified)
{
    public static Verdict Decide(MatchPolicy policy, QualityBounds bounds, IReadOnlyList<float[]> templates, FaceAnalysis probe, LivenessResult liveness) =>
        Decide(policy, bounds, TemplateScorer.Score(policy.Aggregation, templates, probe.Embedding), probe, liveness);

    /// <summary>The same rule on a score already computed (a gallery search scores every subject the same way).</summary>
    public static Verdict Decide(MatchPolicy policy, QualityBounds bounds, float score, FaceAnalysis probe, LivenessResult liveness)
    {
        var match = policy.IsMatch(score);
        var quality = FaceQualityAssessor.Check(probe.Quality, bounds);
        return new Verdict(score, match, quality, match && liveness.Passed && quality.Passed);
    }
}
