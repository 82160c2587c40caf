namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/quality as JSON: one base64 preview frame.</summary>
public sealed record QualityJsonRequest(string? Image) : IHasOpenApiExample<QualityJsonRequest>
{
    public static QualityJsonRequest Example { get; } = new("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ...(base64 JPEG, shortened)");
}
