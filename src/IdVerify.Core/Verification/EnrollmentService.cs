using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>Enrollment: turns a subject's photos into templates, every photo or none.</summary>
/// <param name="crops">when set, each template keeps its sealed aligned crop so it can be migrated to a new embedder.</param>
/// <param name="identification">the gallery search behind Enrollment:DuplicateCheck.</param>
public sealed class EnrollmentService(
    FacePipeline pipeline,
    ITemplateStore store,
    EnrollmentRules rules,
    FaceCropProtector? crops,
    IdentificationService identification,
    TimeProvider time)
{
    private readonly EnrollmentOptions options = rules.Options;

    /// <summary>
    /// Enrolls every photo or none: each must hold one usable face of enrollment quality that passes the
    /// liveness check, or the request fails with the first photo's reason and the store is untouched. Adding to (or
    /// replacing) an enrolled subject's templates needs every new face to match them, unless <paramref name="reenroll"/>
    /// (the audited subjects:reenroll right): otherwise anyone allowed to enroll could put their own face on a customer.
    /// Then, unless Enrollment:DuplicateCheck is off, each face is searched against the other subjects at the identify
    /// threshold: refuse throws <see cref="DuplicateIdentityException"/> before anything is stored, warn reports the matches.
    /// The search and the write run as one exclusive step of the store, so two enrollments of one face under two ids cannot
    /// both pass the check.
    /// </summary>
    /// <param name="nameDuplicates">the caller may learn which subject a duplicate face belongs to (identify or admin scope).</param>
    public async Task<EnrollmentResult> EnrollAsync(string subjectId, IReadOnlyList<byte[]> images, bool replace, bool reenroll = false,
        bool nameDuplicates = false, CancellationToken cancellationToken = default)
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

            var report = FaceQualityAssessor.Check(analysis.Quality, rules.Quality);
            if (!report.Passed)
            {
                throw new QualityException(Numbered(i, images.Count,
                    $"the photo is not good enough to enroll: {string.Join(", ", report.Issues)}."), report.Issues);
            }

            analyses.Add(analysis);
        }

        DuplicateCheckResult? duplicates = null;
        Func<CancellationToken, Task>? duplicateCheck = options.DuplicateCheck == DuplicateCheckMode.Off ? null : async ct =>
        {
            // Re-enrolling the same subject is not a duplicate: its own templates are left out of the search.
            duplicates = await identification.CheckDuplicatesAsync(subjectId, analyses, options.DuplicateCheck, ct);
            if (duplicates.Flagged && options.DuplicateCheck == DuplicateCheckMode.Refuse)
            {
                throw IdentificationService.Duplicate(duplicates, nameDuplicates);
            }
        };

        var now = time.GetUtcNow();
        var embedder = pipeline.Embedder.Model;
        var templates = analyses.Select(a =>
        {
            var id = Guid.NewGuid().ToString("N");
            var crop = crops?.Protect(a.Aligned, id);
            return new FaceTemplate(id, subjectId, a.Embedding, embedder.Id, embedder.Sha256, now,
                new TemplateQuality(a.Face.Score, a.Face.Box.Width, a.Face.Box.Height, a.Face.InterEyeDistance, a.Liveness.Score,
                    a.Quality.Sharpness, a.Quality.Brightness, a.Quality.Yaw, a.Quality.Pitch, a.Quality.Roll),
                crop?.Blob, crop?.KeyId);
        }).ToList();
        var enrolledBefore = false;
        var subject = await store.AddTemplatesAsync(subjectId, templates, replace, options.MaxTemplatesPerSubject, existing =>
        {
            enrolledBefore = existing is { Templates.Count: > 0 };
            if (!reenroll)
            {
                RequireSameFace(existing, analyses);
            }
        }, duplicateCheck, cancellationToken);
        return new EnrollmentResult(subject, templates, analyses, Reenrolled: reenroll && enrolledBefore, duplicates);
    }

    /// <summary>Every new face must match the subject's templates of the active embedder at the service's threshold.</summary>
    private void RequireSameFace(Subject? existing, IReadOnlyList<FaceAnalysis> analyses)
    {
        if (existing is not { Templates.Count: > 0 })
        {
            return;
        }

        var embedder = pipeline.Embedder.Model;
        var enrolled = existing.Templates.Where(t => t.EmbedderId == embedder.Id && t.EmbedderSha256 == embedder.Sha256)
            .Select(t => t.Embedding).ToList();
        if (enrolled.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.FaceMismatch,
                $"Subject '{existing.SubjectId}' is enrolled with another embedder, so a new face cannot be checked against it; enrolling again needs the subjects:reenroll scope.");
        }

        for (var i = 0; i < analyses.Count; i++)
        {
            var score = TemplateScorer.Score(rules.SameFace.Aggregation, enrolled, analyses[i].Embedding);
            if (!rules.SameFace.IsMatch(score))
            {
                throw new IdVerifyException(ErrorCodes.FaceMismatch, Numbered(i, analyses.Count,
                    $"the face does not match subject '{existing.SubjectId}' as enrolled; adding a different face needs the subjects:reenroll scope."));
            }
        }
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
