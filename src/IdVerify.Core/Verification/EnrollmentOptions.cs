namespace IdVerify.Core.Verification;

/// <summary>Configuration section <c>Enrollment</c>.</summary>
public sealed record EnrollmentOptions
{
    public int MaxImagesPerRequest { get; init; } = 5;

    public int MaxTemplatesPerSubject { get; init; } = 10;

    /// <summary>
    /// Whether a new face is searched against the other subjects at the identify threshold (one face under two customer ids).
    /// Warn by default: every flag reaches the response and the audit log for review, and a false flag does not turn a real
    /// customer away.
    /// </summary>
    public DuplicateCheckMode DuplicateCheck { get; init; } = DuplicateCheckMode.Warn;
}
