using System.Diagnostics;
using IdVerify.Core.Embedding;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Pipeline;

public sealed record EnrollmentOptions
{
    public int MaxImagesPerRequest { get; init; } = 5;

    public int MaxTemplatesPerSubject { get; init; } = 10;
}

public sealed record EnrollmentResult(Subject Subject, IReadOnlyList<FaceTemplate> Created, IReadOnlyList<FaceAnalysis> Analyses);

public sealed record VerificationResult(
    string DecisionId,
    string SubjectId,
    bool Verified,
    bool Match,
    float Score,
    MatchPolicy Policy,
    LivenessResult Liveness,
    QualityReport Quality,
    FaceAnalysis Analysis,
    int TemplatesCompared,
    StageTimings Timings,
    string EmbedderId,
    ChallengeOutcome? Challenge = null);

/// <summary>Enrollment and verification on one pipeline and one template store: the product's two decisions.</summary>
public sealed class VerificationService(
    FacePipeline pipeline,
    ITemplateStore store,
    IDecisionLog decisions,
    MatchPolicy policy,
    EnrollmentOptions options,
    QualityPolicy quality,
    IChallengeStore challenges,
    ChallengeVerifier challengeVerifier,
    TimeProvider time,
    FaceCropProtector? crops = null)
{
    /// <summary>
    /// Frames of one burst are compared with each other at the looser FMR 1e-2 threshold: the question is
    /// "one person throughout?" across head turns, not "is this the customer?", which the policy answers.
    /// </summary>
    private readonly float samePersonThreshold =
        (policy.Embedder.Calibration ?? []).FirstOrDefault(c => Math.Abs(c.Fmr - 1e-2) < 1e-9) is { } loose ? (float)loose.Threshold : policy.Threshold;

    public FacePipeline Pipeline => pipeline;

    public MatchPolicy Policy => policy;

    /// <summary>
    /// Enrolls every photo or none: each must hold one usable face of enrollment quality that passes the
    /// liveness check, or the request fails with the first photo's reason and the store is untouched.
    /// </summary>
    public async Task<EnrollmentResult> EnrollAsync(string subjectId, IReadOnlyList<byte[]> images, bool replace,
        CancellationToken cancellationToken = default)
    {
        SubjectIds.Validate(subjectId);
        if (images.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.ImageMissing, "Send one to five images to enroll.");
        }

        if (images.Count > options.MaxImagesPerRequest)
        {
            throw new IdVerifyException(ErrorCodes.TooManyImages,
                $"{images.Count} images were sent; at most {options.MaxImagesPerRequest} per enrollment.");
        }

        var analyses = new List<FaceAnalysis>();
        for (var i = 0; i < images.Count; i++)
        {
            var analysis = AnalyzeNumbered(images[i], i, images.Count);
            if (!analysis.Liveness.Passed)
            {
                throw new IdVerifyException(ErrorCodes.LivenessFailed, Numbered(i, images.Count,
                    $"the face did not pass the liveness check ({analysis.Liveness.Reason}; score {analysis.Liveness.Score:F3}, threshold {analysis.Liveness.Threshold:F3})."));
            }

            var report = FaceQualityAssessor.Check(analysis.Quality, quality.Enrollment);
            if (!report.Passed)
            {
                throw new QualityException(Numbered(i, images.Count,
                    $"the photo is not good enough to enroll: {string.Join(", ", report.Issues)}."), report.Issues);
            }

            analyses.Add(analysis);
        }

        var now = time.GetUtcNow();
        var embedder = pipeline.Embedder.Model;
        var templates = analyses.Select(a =>
        {
            var id = Guid.NewGuid().ToString("N");
            return new FaceTemplate(id, subjectId, a.Embedding, embedder.Id, embedder.Sha256, now,
                new TemplateQuality(a.Face.Score, a.Face.Box.Width, a.Face.Box.Height, a.Face.InterEyeDistance, a.Liveness.Score,
                    a.Quality.Sharpness, a.Quality.Brightness, a.Quality.Yaw, a.Quality.Pitch, a.Quality.Roll),
                crops?.Protect(a.Aligned, id));
        }).ToList();
        var subject = await store.AddTemplatesAsync(subjectId, templates, replace, options.MaxTemplatesPerSubject, cancellationToken);
        return new EnrollmentResult(subject, templates, analyses);
    }

    /// <summary>Issues a single-use, expiring active-liveness challenge, optionally bound to a subject.</summary>
    public async Task<LivenessChallenge> CreateChallengeAsync(string? subjectId, CancellationToken cancellationToken = default)
    {
        if (subjectId is not null)
        {
            SubjectIds.Validate(subjectId);
        }

        var challenge = challengeVerifier.Create(subjectId, time.GetUtcNow());
        await challenges.SaveChallengeAsync(challenge, cancellationToken);
        return challenge;
    }

    /// <param name="fmrTarget">a stricter false match rate for this request (e.g. a payment), else the service's.</param>
    public async Task<VerificationResult> VerifyAsync(string subjectId, byte[] image, double? fmrTarget = null,
        CancellationToken cancellationToken = default)
    {
        var (subject, requestPolicy, templates, embedder) = await PrepareAsync(subjectId, fmrTarget, cancellationToken);
        var analysis = pipeline.Analyze(image);
        return await DecideAsync(subject, requestPolicy, templates, embedder, analysis, analysis.Liveness, null, cancellationToken);
    }

    /// <summary>
    /// Verifies a burst of frames answering a challenge: the challenge is spent first (a replay fails whatever
    /// the frames), the burst must pass every challenge check, and the most frontal frame is matched.
    /// </summary>
    public async Task<VerificationResult> VerifyChallengeAsync(string subjectId, string challengeId, IReadOnlyList<byte[]> frames,
        double? fmrTarget = null, CancellationToken cancellationToken = default)
    {
        var (subject, requestPolicy, templates, embedder) = await PrepareAsync(subjectId, fmrTarget, cancellationToken);
        if (frames.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.ImageMissing, "Send the challenge's frames as 'frame' fields.");
        }

        // Checked before the challenge is spent: a malformed request should not cost the customer their challenge.
        if (frames.Count > challengeVerifier.Options.MaxFrames)
        {
            throw new IdVerifyException(ErrorCodes.TooManyImages, $"{frames.Count} frames were sent; at most {challengeVerifier.Options.MaxFrames}.");
        }

        var challenge = await challenges.ConsumeChallengeAsync(challengeId, time.GetUtcNow(), cancellationToken);
        if (challenge.SubjectId is { } bound && bound != subjectId)
        {
            throw new IdVerifyException(ErrorCodes.ChallengeSubjectMismatch, $"Challenge '{challengeId}' was issued for another subject.");
        }

        var outcome = challengeVerifier.Check(pipeline, challenge, frames, samePersonThreshold);
        var liveness = outcome.BestFrame.Liveness with
        {
            Passed = outcome.Checks.Passed,
            Score = outcome.MedianLivenessScore,
            Reason = outcome.Checks.Passed ? null : LivenessReasons.ChallengeFailed,
        };
        return await DecideAsync(subject, requestPolicy, templates, embedder, outcome.BestFrame, liveness, outcome, cancellationToken);
    }

    private async Task<(Subject Subject, MatchPolicy Policy, List<float[]> Templates, FaceEmbedder Embedder)> PrepareAsync(
        string subjectId, double? fmrTarget, CancellationToken cancellationToken)
    {
        SubjectIds.Validate(subjectId);
        var requestPolicy = fmrTarget is { } target ? policy.Stricter(target) : policy;
        var subject = await store.GetSubjectAsync(subjectId, cancellationToken)
            ?? throw new IdVerifyException(ErrorCodes.SubjectNotFound, $"Subject '{subjectId}' is not enrolled.");

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
                return (subject, embedderPolicy, templates, embedder);
            }
        }

        throw new IdVerifyException(ErrorCodes.ReenrollmentRequired,
            $"Subject '{subjectId}' was enrolled with {string.Join(", ", subject.Templates.Select(t => t.EmbedderId).Distinct())}; " +
            $"the active embedder is '{pipeline.Embedder.Model.Id}'. Enroll again (or migrate stored crops).");
    }

    private async Task<VerificationResult> DecideAsync(Subject subject, MatchPolicy requestPolicy, List<float[]> templates, FaceEmbedder embedder,
        FaceAnalysis analysis, LivenessResult liveness, ChallengeOutcome? challenge, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var probe = embedder == pipeline.Embedder ? analysis.Embedding : embedder.Embed(analysis.Aligned);
        var score = TemplateScorer.Score(requestPolicy.Aggregation, templates, probe);
        var match = requestPolicy.IsMatch(score);
        var qualityReport = FaceQualityAssessor.Check(analysis.Quality, quality.Verification);
        var verified = match && liveness.Passed && qualityReport.Passed;
        var matchMs = clock.Elapsed.TotalMilliseconds;
        var timings = analysis.Timings with { Match = matchMs, Total = analysis.Timings.Total + matchMs };

        var decision = new DecisionRecord(Guid.NewGuid().ToString("N"), subject.SubjectId, time.GetUtcNow(), verified, match, score,
            requestPolicy.Threshold, requestPolicy.FmrTarget, liveness.Passed, liveness.Score,
            pipeline.Detector.ModelId, embedder.Model.Id, challenge is null ? pipeline.Liveness.ModelId : $"{pipeline.Liveness.ModelId}+challenge");
        await decisions.RecordDecisionAsync(decision, cancellationToken);

        return new VerificationResult(decision.DecisionId, subject.SubjectId, verified, match, score, requestPolicy, liveness, qualityReport,
            analysis, templates.Count, timings, embedder.Model.Id, challenge);
    }

    private FaceAnalysis AnalyzeNumbered(byte[] image, int index, int count)
    {
        try
        {
            return pipeline.Analyze(image);
        }
        catch (IdVerifyException ex) when (count > 1)
        {
            throw new IdVerifyException(ex.Code, Numbered(index, count, ex.Message), ex);
        }
    }

    private static string Numbered(int index, int count, string message) =>
        count > 1 ? $"Image {index + 1} of {count}: {message}" : message;
}
