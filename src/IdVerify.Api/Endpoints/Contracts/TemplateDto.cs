using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A template's metadata; never its embedding.</summary>
public sealed record TemplateDto(string TemplateId, string EmbedderId, string EmbedderSha256, DateTimeOffset CreatedAt, TemplateQualityDto Quality)
{
    public static TemplateDto From(FaceTemplate t) => new(t.TemplateId, t.EmbedderId, t.EmbedderSha256, t.CreatedAt, TemplateQualityDto.From(t.Quality));
}
