using IdVerify.Core.Liveness;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Verification;

/// <summary>Active-liveness challenges: issued single-use and expiring, spent on first use.</summary>
public sealed class ChallengeService(IChallengeStore store, ChallengeVerifier verifier, TimeProvider time)
{
    public ChallengeVerifier Verifier => verifier;

    /// <summary>Issues a challenge, optionally bound to a subject.</summary>
    public async Task<LivenessChallenge> CreateAsync(string? subjectId, CancellationToken cancellationToken = default)
    {
        if (subjectId is not null)
        {
            SubjectIds.Validate(subjectId);
        }

        var challenge = verifier.Create(subjectId, time.GetUtcNow());
        await store.SaveChallengeAsync(challenge, cancellationToken);
        return challenge;
    }

    /// <summary>Spends the challenge (a replay fails whatever the frames) and checks it serves this subject.</summary>
    public async Task<LivenessChallenge> ConsumeAsync(string challengeId, string subjectId, CancellationToken cancellationToken = default)
    {
        var challenge = await store.ConsumeChallengeAsync(challengeId, time.GetUtcNow(), cancellationToken);
        if (challenge.SubjectId is { } bound && bound != subjectId)
        {
            throw new IdVerifyException(ErrorCodes.ChallengeSubjectMismatch, $"Challenge '{challengeId}' was issued for another subject.");
        }

        return challenge;
    }
}
