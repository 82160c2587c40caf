namespace IdVerify.Core.Templates;

/// <summary>
/// Failed-verify counts and locks per subject, kept in the store so they hold across restarts (and instances). Each
/// record is one atomic step, so concurrent verifies of one subject cannot slip past the limit.
/// </summary>
public interface ISubjectAttemptStore
{
    Task<AttemptState> GetAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>A success clears the count and any lock; a failure counts, and at the limit locks for the limits' back-off.</summary>
    Task<AttemptState> RecordAsync(string subjectId, bool verified, DateTimeOffset now, AttemptLimits limits, CancellationToken cancellationToken = default);

    /// <summary>Clears the count and lock; false when there was none.</summary>
    Task<bool> UnlockAsync(string subjectId, CancellationToken cancellationToken = default);
}
