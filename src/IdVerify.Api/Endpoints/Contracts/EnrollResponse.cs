using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <param name="DuplicateCheck">null when Enrollment:DuplicateCheck is off.</param>
public sealed record EnrollResponse(SubjectDto Subject, IReadOnlyList<TemplateDto> Templates, IReadOnlyList<FaceDto> Faces, DuplicateCheckDto? DuplicateCheck)
    : IHasOpenApiExample<EnrollResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static EnrollResponse Example { get; } = new(SubjectDto.Example, [TemplateDto.Example], [FaceDto.Example], DuplicateCheckDto.Example);

    /// <param name="nameDuplicates">the caller may learn which other subjects the face matched.</param>
    public static EnrollResponse From(EnrollmentResult r, bool nameDuplicates) => new(
        SubjectDto.From(r.Subject),
        r.Created.Select(TemplateDto.From).ToList(),
        r.Analyses.Select(a => FaceDto.From(a.Face)).ToList(),
        DuplicateCheckDto.From(r.Duplicates, nameDuplicates));
}
