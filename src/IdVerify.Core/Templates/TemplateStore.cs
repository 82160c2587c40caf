using System.Text.RegularExpressions;

namespace IdVerify.Core.Templates;

/// <summary>Figures about the photo a template came from; the photo itself is never kept.</summary>
public sealed record TemplateQuality(
    float DetectionScore,
    float FaceWidth,
    float FaceHeight,
    float InterEyeDistance,
    float LivenessScore,
    float Sharpness = 0,
    float Brightness = 0,
    float Yaw = 0,
    float Pitch = 0,
    float Roll = 0);

public sealed record FaceTemplate(
    string TemplateId,
    string SubjectId,
    float[] Embedding,
    string EmbedderId,
    string EmbedderSha256,
    DateTimeOffset CreatedAt,
    TemplateQuality Quality,
    byte[]? ProtectedCrop = null);

public sealed record Subject(string SubjectId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<FaceTemplate> Templates);

/// <summary>One verification outcome, kept for audit: scores and model ids, never the image.</summary>
public sealed record DecisionRecord(
    string DecisionId,
    string SubjectId,
    DateTimeOffset CreatedAt,
    bool Verified,
    bool Match,
    float Score,
    float Threshold,
    double FmrTarget,
    bool LivenessPassed,
    float LivenessScore,
    string DetectorId,
    string EmbedderId,
    string LivenessId);

/// <summary>Subjects and their templates. Implementations are transactional: a failed call changes nothing.</summary>
public interface ITemplateStore
{
    Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds templates to the subject (created if new), or replaces its templates when <paramref name="replace"/>;
    /// throws <see cref="IdVerifyException"/> with <see cref="ErrorCodes.TooManyTemplates"/> past the maximum.
    /// </summary>
    Task<Subject> AddTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        CancellationToken cancellationToken = default);

    Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    Task RecordDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken = default);

    Task<DecisionRecord?> GetDecisionAsync(string decisionId, CancellationToken cancellationToken = default);

    /// <summary>Every template with its protected crop, for offline migration to a new embedder.</summary>
    Task<IReadOnlyList<FaceTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default);

    /// <summary>How many subjects hold templates of each embedder.</summary>
    Task<IReadOnlyDictionary<string, int>> CountSubjectsByEmbedderAsync(CancellationToken cancellationToken = default);
}

public static partial class SubjectIds
{
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Validate(string? subjectId)
    {
        if (subjectId is null || !Pattern().IsMatch(subjectId))
        {
            throw new IdVerifyException(ErrorCodes.InvalidSubjectId,
                "subjectId must be 1 to 128 characters from A-Z, a-z, 0-9 and . _ : -");
        }

        return subjectId;
    }
}
