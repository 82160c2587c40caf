namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/verify as JSON: a base64 selfie, or a challenge's base64 frames.</summary>
public sealed record VerifyJsonRequest(
    string? SubjectId,
    string? Image,
    double? FmrTarget = null,
    string? ChallengeId = null,
    IReadOnlyList<string>? Frames = null);
