namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/enroll as JSON: base64 photos.</summary>
public sealed record EnrollJsonRequest(string? SubjectId, IReadOnlyList<string>? Images) : IHasOpenApiExample<EnrollJsonRequest>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static EnrollJsonRequest Example { get; } = new("customer-0042", ["/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ...(base64 JPEG, shortened)"]);
}
