using IdVerify.Core.Liveness;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ChallengeDto(string ChallengeId, string Nonce, string? SubjectId, IReadOnlyList<string> Actions, DateTimeOffset ExpiresAt) : IHasOpenApiExample<ChallengeDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static ChallengeDto Example { get; } = new("b7e1c9a24d3f4e8a9c0b6d5e2f1a3c47", "k3Hq9ZpT2vLx", "customer-0042", ["turn_left", "blink"],
        new DateTimeOffset(2026, 3, 2, 9, 17, 0, TimeSpan.Zero));

    public static ChallengeDto From(LivenessChallenge c) => new(c.ChallengeId, c.Nonce, c.SubjectId, c.Actions, c.ExpiresAt);
}
