using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>Enrollment: turns a subject's photos into templates, every photo or none.</summary>
/// <param name="bounds">the enrollment quality bounds (stricter than verification's: a template serves for years).</param>
/// <param name="crops">when set, each template keeps its encrypted aligned crop so it can be migrated to a new embedder.</param>
public sealed class EnrollmentService(
    FacePipeline pipeline,
    ITemplateStore store,
    EnrollmentOptions options,
    QualityBounds bounds,
    FaceCropProtector? crops,
    TimeProvider time)
{
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

            var report = FaceQualityAssessor.Check(analysis.Quality, bounds);
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
