namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ChallengeRequest(string? SubjectId);
