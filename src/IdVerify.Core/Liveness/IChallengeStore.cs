namespace IdVerify.Core.Liveness;

public interface IChallengeStore
{
    Task SaveChallengeAsync(LivenessChallenge challenge, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the challenge used and returns it, in one atomic step, so two requests can never both spend it;
    /// throws <see cref="IdVerifyException"/> (challenge_not_found / challenge_used / challenge_expired) otherwise.
    /// </summary>
    Task<LivenessChallenge> ConsumeChallengeAsync(string challengeId, DateTimeOffset now, CancellationToken cancellationToken = default);
}
