namespace IdVerify.Core.Verification;

/// <summary>Configuration section <c>Enrollment</c>.</summary>
public sealed record EnrollmentOptions
{
    public int MaxImagesPerRequest { get; init; } = 5;

    public int MaxTemplatesPerSubject { get; init; } = 10;
}
