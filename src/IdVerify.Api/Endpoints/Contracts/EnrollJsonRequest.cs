namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/enroll as JSON: base64 photos.</summary>
public sealed record EnrollJsonRequest(string? SubjectId, IReadOnlyList<string>? Images);
