using System.Diagnostics;
using IdVerify.Core.Embedding;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>
/// Verification: a live capture against a subject's templates, decided by <see cref="Verdict"/>, recorded for audit and
/// counted against the subject's attempt limit.
/// </summary>
public sealed class VerificationService(
    FacePipeline pipeline,
    VerificationStores stores,
    VerificationRules rules,
    ChallengeService challenges,
    TimeProvider time)
{
    private readonly MatchPolicy policy = rules.Policy;

    private readonly float samePersonThreshold = ChallengeVerifier.SamePersonThreshold(rules.Policy.Embedder, rules.Policy.Threshold);

    public MatchPolicy Policy => policy;

    /// <summary>The service's policy, or a stricter calibrated one a request asked for (e.g. a payment).</summary>
    public MatchPolicy PolicyFor(double? fmrTarget) => fmrTarget is { } target ? policy.Stricter(target) : policy;

    /// <summary>The rule /v1/verify applies, on a reference photo's analysis instead of stored templates (<c>idverify verify</c>).</summary>
    public Verdict Compare(FaceAnalysis reference, FaceAnalysis probe, MatchPolicy requestPolicy) =>
        Verdict.Decide(requestPolicy, rules.Quality, [reference.Embedding], probe, probe.Liveness);

    /// <param name="fmrTarget">a stricter false match rate for this request (e.g. a payment), else the service's.</param>
    public async Task<VerificationResult> VerifyAsync(string subjectId, byte[] image, double? fmrTarget = null,
        CancellationToken cancellationToken = default)
    {
        var candidate = await PrepareAsync(subjectId, fmrTarget, cancellationToken);
        var analysis = pipeline.Analyze(image, candidate.Embedder);
        return await DecideAsync(candidate, analysis, analysis.Liveness, null, cancellationToken);
    }

    /// <summary>
    /// Verifies a burst of frames answering a challenge: the challenge is spent first (a replay fails whatever
    /// the frames), the burst must pass every challenge check, and the most frontal tracked frame is matched.
    /// </summary>
    public async Task<VerificationResult> VerifyChallengeAsync(string subjectId, string challengeId, IReadOnlyList<byte[]> frames,
        double? fmrTarget = null, CancellationToken cancellationToken = default)
    {
        var candidate = await PrepareAsync(subjectId, fmrTarget, cancellationToken);
        if (frames.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.ImageMissing, "Send the challenge's frames as 'frame' fields.");
        }

        // Checked before the challenge is spent: a malformed request should not cost the customer their challenge.
        if (frames.Count > challenges.Verifier.Options.MaxFrames)
        {
            throw new IdVerifyException(ErrorCodes.TooManyImages, $"{frames.Count} frames were sent; at most {challenges.Verifier.Options.MaxFrames}.");
        }

        var challenge = await challenges.ConsumeAsync(challengeId, subjectId, cancellationToken);
        var outcome = challenges.Verifier.Check(pipeline, candidate.Embedder, challenge, frames, samePersonThreshold);
        var liveness = outcome.BestFrame.Liveness with
        {
            Passed = outcome.Checks.Passed,
            Score = outcome.LivenessScore,
            Reason = outcome.Checks.Passed ? null : LivenessReasons.ChallengeFailed,
        };
        return await DecideAsync(candidate, outcome.BestFrame, liveness, outcome, cancellationToken);
    }

    /// <summary>A subject's templates of one embedder, with the policy for that embedder.</summary>
    private sealed record Candidate(Subject Subject, MatchPolicy Policy, List<float[]> Templates, FaceEmbedder Embedder);

    private async Task<Candidate> PrepareAsync(string subjectId, double? fmrTarget, CancellationToken cancellationToken)
    {
        SubjectIds.Validate(subjectId);
        var requestPolicy = PolicyFor(fmrTarget);
        var subject = await stores.Templates.GetSubjectAsync(subjectId, cancellationToken)
            ?? throw SubjectIds.NotEnrolled(subjectId);

        // Checked before any work (and before a challenge is spent): a locked subject costs the service nothing.
        if ((await stores.Attempts.GetAsync(subjectId, cancellationToken)).LockedUntil is { } until && until > time.GetUtcNow())
        {
            throw Locked(subjectId, until);
        }

        // Vectors from two embedders live in different spaces: a probe is only ever compared with templates of the
        // embedder that made its own vector, the active one or a legacy one kept loaded after a swap.
        foreach (var embedder in pipeline.LegacyEmbedders.Prepend(pipeline.Embedder))
        {
            var templates = subject.Templates
                .Where(t => t.EmbedderId == embedder.Model.Id && t.EmbedderSha256 == embedder.Model.Sha256)
                .Select(t => t.Embedding)
                .ToList();
            if (templates.Count > 0)
            {
                var embedderPolicy = embedder == pipeline.Embedder
                    ? requestPolicy
                    : MatchPolicy.For(embedder.Model, requestPolicy.FmrTarget, requestPolicy.Aggregation);
                return new Candidate(subject, embedderPolicy, templates, embedder);
            }
        }

        throw new IdVerifyException(ErrorCodes.ReenrollmentRequired,
            $"Subject '{subjectId}' was enrolled with {string.Join(", ", subject.Templates.Select(t => t.EmbedderId).Distinct())}; " +
            $"the active embedder is '{pipeline.Embedder.Model.Id}'. Enroll again (or migrate stored crops).");
    }

    private async Task<VerificationResult> DecideAsync(Candidate candidate, FaceAnalysis analysis, LivenessResult liveness,
        ChallengeOutcome? challenge, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var verdict = Verdict.Decide(candidate.Policy, rules.Quality, candidate.Templates, analysis, liveness);
        var matchMs = clock.Elapsed.TotalMilliseconds;
        var timings = analysis.Timings with { Match = matchMs, Total = analysis.Timings.Total + matchMs };
        var models = new DecisionModels(pipeline.Detector.ModelId, analysis.EmbedderId,
            challenge is null ? pipeline.Liveness.ModelId : $"{pipeline.Liveness.ModelId}+challenge");

        var policy = candidate.Policy;
        var decision = new DecisionRecord(Guid.NewGuid().ToString("N"), candidate.Subject.SubjectId, time.GetUtcNow(), verdict.Verified,
            verdict.Match, verdict.Score, policy.Threshold, policy.FmrTarget, liveness.Passed, liveness.Score,
            models.Detector, models.Embedder, models.Liveness);
        await stores.Decisions.RecordDecisionAsync(decision, cancellationToken);
        var attempts = await stores.Attempts.RecordAsync(candidate.Subject.SubjectId, verdict.Verified, decision.CreatedAt, rules.Attempts,
            cancellationToken);

        return new VerificationResult(decision.DecisionId, candidate.Subject.SubjectId, verdict, policy, liveness, analysis,
            candidate.Templates.Count, timings, models, attempts, challenge);
    }

    private SubjectLockedException Locked(string subjectId, DateTimeOffset until)
    {
        var wait = until - time.GetUtcNow();
        return new SubjectLockedException(
            $"Subject '{subjectId}' is locked after {rules.Attempts.MaxConsecutiveFailures} or more failed verifies; retry in {Math.Ceiling(wait.TotalSeconds):F0} s " +
            "or have an enrollment officer unlock it.", wait);
    }
}
