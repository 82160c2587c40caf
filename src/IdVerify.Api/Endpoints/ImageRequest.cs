namespace IdVerify.Api.Endpoints;

/// <summary>A subject id and its images, from either a multipart form or a JSON body with base64 images.</summary>
public sealed record ImageRequest(
    string? SubjectId,
    IReadOnlyList<byte[]> Images,
    double? FmrTarget = null,
    string? ChallengeId = null,
    IReadOnlyList<byte[]>? Frames = null);
