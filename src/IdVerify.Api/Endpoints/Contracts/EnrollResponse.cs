using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record EnrollResponse(SubjectDto Subject, IReadOnlyList<TemplateDto> Templates, IReadOnlyList<FaceDto> Faces) : IHasOpenApiExample<EnrollResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static EnrollResponse Example { get; } = new(SubjectDto.Example, [TemplateDto.Example], [FaceDto.Example]);

    public static EnrollResponse From(EnrollmentResult r) => new(
        SubjectDto.From(r.Subject),
        r.Created.Select(TemplateDto.From).ToList(),
        r.Analyses.Select(a => FaceDto.From(a.Face)).ToList());
}
