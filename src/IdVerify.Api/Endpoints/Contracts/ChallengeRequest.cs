namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ChallengeRequest(string? SubjectId) : IHasOpenApiExample<ChallengeRequest>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static ChallengeRequest Example { get; } = new("customer-0042");
}
