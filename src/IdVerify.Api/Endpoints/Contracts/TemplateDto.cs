using IdVerify.Core.Templates;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A template's metadata; never its embedding.</summary>
public sealed record TemplateDto(string TemplateId, string EmbedderId, string EmbedderSha256, DateTimeOffset CreatedAt, TemplateQualityDto Quality) : IHasOpenApiExample<TemplateDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static TemplateDto Example { get; } = new("3f2b8c1e9d7a4b6f8e2c5a1d0b9f7e64", "mobilefacenet-paddlex-128d",
        "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743", new DateTimeOffset(2026, 3, 2, 9, 15, 4, TimeSpan.Zero),
        new TemplateQualityDto(0.998f, 212.4f, 268.9f, 96.3f, 0.973f, 412.7f, 121.5f, 3.2f, -4.1f, 1.6f));

    public static TemplateDto From(FaceTemplate t) => new(t.TemplateId, t.EmbedderId, t.EmbedderSha256, t.CreatedAt, TemplateQualityDto.From(t.Quality));
}
