namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/verify as JSON: a base64 selfie, or a challenge's base64 frames.</summary>
public sealed record VerifyJsonRequest(
    string? SubjectId,
    string? Image,
    double? FmrTarget = null,
    string? ChallengeId = null,
    IReadOnlyList<string>? Frames = null) : IHasOpenApiExample<VerifyJsonRequest>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static VerifyJsonRequest Example { get; } = new("customer-0042", "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ...(base64 JPEG, shortened)", FmrTarget: 0.0001);
}
