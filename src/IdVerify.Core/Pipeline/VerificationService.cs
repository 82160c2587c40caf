using System.Diagnostics;
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
    StageTimings Timings);

/// <summary>Enrollment and verification on one pipeline and one template store: the product's two decisions.</summary>
public sealed class VerificationService(
    FacePipeline pipeline,
    ITemplateStore store,
    MatchPolicy policy,
    EnrollmentOptions options,
    QualityPolicy quality,
    TimeProvider time)
{
    public FacePipeline Pipeline => pipeline;

    public MatchPolicy Policy => policy;

    public QualityPolicy Quality => quality;

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
            var report = FaceQualityAssessor.Check(analysis.Quality, quality.Enrollment);
            if (!report.Passed)
            {
                throw new QualityException(Numbered(i, images.Count,
                    $"the photo is not good enough to enroll: {string.Join(", ", report.Issues)}."), report.Issues);
            }

            if (!analysis.Liveness.Passed)
            {
                throw new IdVerifyException(ErrorCodes.LivenessFailed, Numbered(i, images.Count,
                    $"the face did not pass the liveness check ({analysis.Liveness.Reason}; score {analysis.Liveness.Score:F3}, threshold {analysis.Liveness.Threshold:F3})."));
            }

            analyses.Add(analysis);
        }

        var now = time.GetUtcNow();
        var embedder = pipeline.Embedder.Model;
        var templates = analyses.Select(a => new FaceTemplate(
            Guid.NewGuid().ToString("N"), subjectId, a.Embedding, embedder.Id, embedder.Sha256, now,
            new TemplateQuality(a.Face.Score, a.Face.Box.Width, a.Face.Box.Height, a.Face.InterEyeDistance, a.Liveness.Score,
                a.Quality.Sharpness, a.Quality.Brightness, a.Quality.Yaw, a.Quality.Pitch, a.Quality.Roll)))
            .ToList();
        var subject = await store.AddTemplatesAsync(subjectId, templates, replace, options.MaxTemplatesPerSubject, cancellationToken);
        return new EnrollmentResult(subject, templates, analyses);
    }

    /// <param name="fmrTarget">a stricter false match rate for this request (e.g. a payment), else the service's.</param>
    public async Task<VerificationResult> VerifyAsync(string subjectId, byte[] image, double? fmrTarget = null,
        CancellationToken cancellationToken = default)
    {
        SubjectIds.Validate(subjectId);
        var requestPolicy = fmrTarget is { } target ? policy.Stricter(target) : policy;
        var subject = await store.GetSubjectAsync(subjectId, cancellationToken)
            ?? throw new IdVerifyException(ErrorCodes.SubjectNotFound, $"Subject '{subjectId}' is not enrolled.");

        var analysis = pipeline.Analyze(image);
        var clock = Stopwatch.StartNew();

        // Vectors from two embedders live in different spaces: a comparison across them means nothing.
        var comparable = subject.Templates
            .Where(t => t.EmbedderId == policy.EmbedderId && t.EmbedderSha256 == pipeline.Embedder.Model.Sha256)
            .ToList();
        if (comparable.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.NoCompatibleTemplates,
                $"Subject '{subjectId}' has no template made by embedder '{policy.EmbedderId}'; enroll again.");
        }

        var score = TemplateScorer.Score(requestPolicy.Aggregation, comparable.Select(t => t.Embedding).ToList(), analysis.Embedding);
        var match = requestPolicy.IsMatch(score);
        var qualityReport = FaceQualityAssessor.Check(analysis.Quality, quality.Verification);
        var verified = match && analysis.Liveness.Passed && qualityReport.Passed;
        var matchMs = clock.Elapsed.TotalMilliseconds;
        var timings = analysis.Timings with { Match = matchMs, Total = analysis.Timings.Total + matchMs };

        var decision = new DecisionRecord(Guid.NewGuid().ToString("N"), subjectId, time.GetUtcNow(), verified, match, score,
            requestPolicy.Threshold, requestPolicy.FmrTarget, analysis.Liveness.Passed, analysis.Liveness.Score,
            pipeline.Detector.ModelId, policy.EmbedderId, pipeline.Liveness.ModelId);
        await store.RecordDecisionAsync(decision, cancellationToken);

        return new VerificationResult(decision.DecisionId, subjectId, verified, match, score, requestPolicy, analysis.Liveness, qualityReport, analysis,
            comparable.Count, timings);
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
