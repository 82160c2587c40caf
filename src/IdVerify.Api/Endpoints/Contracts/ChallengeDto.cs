using IdVerify.Core.Liveness;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ChallengeDto(string ChallengeId, string Nonce, string? SubjectId, IReadOnlyList<string> Actions, DateTimeOffset ExpiresAt)
{
    public static ChallengeDto From(LivenessChallenge c) => new(c.ChallengeId, c.Nonce, c.SubjectId, c.Actions, c.ExpiresAt);
}
