using IdVerify.Core.Verification;

namespace IdVerify.Api.Endpoints.Contracts;

/// <param name="DuplicateCheck">null when Enrollment:DuplicateCheck is off.</param>
public sealed record EnrollResponse(SubjectDto Subject, IReadOnlyList<TemplateDto> Templates, IReadOnlyList<FaceDto> Faces, DuplicateCheckDto? DuplicateCheck)
{
    /// <param name="nameDuplicates">the caller may learn which other subjects the face matched.</param>
    public static EnrollResponse From(EnrollmentResult r, bool nameDuplicates) => new(
        SubjectDto.From(r.Subject),
        r.Created.Select(TemplateDto.From).ToList(),
        r.Analyses.Select(a => FaceDto.From(a.Face)).ToList(),
        DuplicateCheckDto.From(r.Duplicates, nameDuplicates));
}
