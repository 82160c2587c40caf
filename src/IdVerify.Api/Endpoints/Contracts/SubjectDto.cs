using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record SubjectDto(string SubjectId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int TemplateCount, IReadOnlyList<TemplateDto> Templates) : IHasOpenApiExample<SubjectDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static SubjectDto Example { get; } = new("customer-0042", new DateTimeOffset(2026, 3, 2, 9, 15, 4, TimeSpan.Zero),
        new DateTimeOffset(2026, 3, 2, 9, 15, 4, TimeSpan.Zero), 1, [TemplateDto.Example]);

    public static SubjectDto From(Subject s) =>
        new(s.SubjectId, s.CreatedAt, s.UpdatedAt, s.Templates.Count, s.Templates.Select(TemplateDto.From).ToList());
}
