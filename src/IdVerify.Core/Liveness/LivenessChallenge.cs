namespace IdVerify.Core.Liveness;

/// <summary>A single-use, expiring request for the person at the kiosk to perform actions in order.</summary>
public sealed record LivenessChallenge(
    string ChallengeId,
    string Nonce,
    string? SubjectId,
    IReadOnlyList<string> Actions,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
