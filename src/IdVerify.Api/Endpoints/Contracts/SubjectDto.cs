using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record SubjectDto(string SubjectId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int TemplateCount, IReadOnlyList<TemplateDto> Templates)
{
    public static SubjectDto From(Subject s) =>
        new(s.SubjectId, s.CreatedAt, s.UpdatedAt, s.Templates.Count, s.Templates.Select(TemplateDto.From).ToList());
}
