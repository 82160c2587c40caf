namespace IdVerify.Core.Templates;

/// <summary>
/// Subjects and their templates (decisions are in <see cref="IDecisionLog"/>). Implementations are transactional:
/// a failed call changes nothing.
/// </summary>
public interface ITemplateStore
{
    Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds templates to the subject (created if new), or replaces its templates when <paramref name="replace"/>;
    /// throws <see cref="IdVerifyException"/> with <see cref="ErrorCodes.TooManyTemplates"/> past the maximum.
    /// </summary>
    /// <param name="guard">
    /// runs on the subject as it is inside the write's transaction (null when not yet enrolled), before anything changes;
    /// it throws to refuse the write, so a check on the existing templates cannot race another enrollment.
    /// </param>
    /// <param name="exclusiveCheck">
    /// runs before the write while every other write that has one waits (on every instance, with PostgreSQL), and throws to
    /// refuse it: a search of the other subjects (the duplicate check) sees every enrollment committed before it, and none
    /// can be stored between the search and this write.
    /// </param>
    Task<Subject> AddTemplatesAsync(string subjectId, IReadOnlyList<FaceTemplate> templates, bool replace, int maxTemplates,
        Action<Subject?>? guard = null, Func<CancellationToken, Task>? exclusiveCheck = null, CancellationToken cancellationToken = default);

    Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Every template with its protected crop, for offline migration to a new embedder.</summary>
    Task<IReadOnlyList<FaceTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default);

    /// <summary>How many subjects hold templates of each embedder.</summary>
    Task<IReadOnlyDictionary<string, int>> CountSubjectsByEmbedderAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-seals every row not yet under <paramref name="targetKeyId"/> (including rows written before rows were sealed) in one
    /// transaction, so a data key can be retired. A crop from before sealing cannot be opened by any data key and is dropped.
    /// </summary>
    /// <param name="unsealedOnly">only rows from before sealing (the service does this at start).</param>
    Task<DataKeyRotation> RotateAsync(string targetKeyId, bool unsealedOnly = false, CancellationToken cancellationToken = default);
}
