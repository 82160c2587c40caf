namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/identify as JSON: a base64 selfie (the number of candidates is the <c>top</c> query parameter).</summary>
public sealed record IdentifyJsonRequest(string? Image) : IHasOpenApiExample<IdentifyJsonRequest>
{
    /// <summary>The OpenAPI example (a placeholder, not a photo).</summary>
    public static IdentifyJsonRequest Example { get; } = new("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ...(base64 JPEG, shortened)");
}
