using IdVerify.Core.Liveness;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

public sealed class SqliteChallengeStoreTests : IDisposable
{
    private static readonly DateTimeOffset Issued = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDatabase database = new();

    private static LivenessChallenge Challenge(string? subjectId = "gina") => new(
        Guid.NewGuid().ToString("N"), "nonce-" + Guid.NewGuid().ToString("N")[..8], subjectId,
        [ChallengeActions.TurnLeft, ChallengeActions.TurnRight], Issued, Issued.AddSeconds(60));

    [Fact]
    public async Task A_challenge_is_returned_once_then_refused_as_used()
    {
        var store = new SqliteChallengeStore(database.Open());
        var challenge = Challenge();
        await store.SaveChallengeAsync(challenge);

        var consumed = await new SqliteChallengeStore(database.Open()).ConsumeChallengeAsync(challenge.ChallengeId, Issued.AddSeconds(5));
        var again = await Assert.ThrowsAsync<IdVerifyException>(() => store.ConsumeChallengeAsync(challenge.ChallengeId, Issued.AddSeconds(6)));

        Assert.Equal(challenge with { Actions = consumed.Actions }, consumed);
        Assert.Equal(challenge.Actions, consumed.Actions);
        Assert.Equal(ErrorCodes.ChallengeUsed, again.Code);
    }

    [Fact]
    public async Task A_challenge_without_a_subject_keeps_none()
    {
        var store = new SqliteChallengeStore(database.Open());
        var challenge = Challenge(subjectId: null);
        await store.SaveChallengeAsync(challenge);

        Assert.Null((await store.ConsumeChallengeAsync(challenge.ChallengeId, Issued)).SubjectId);
    }

    [Fact]
    public async Task An_unknown_challenge_is_not_found()
    {
        var error = await Assert.ThrowsAsync<IdVerifyException>(() =>
            new SqliteChallengeStore(database.Open()).ConsumeChallengeAsync("nope", Issued));

        Assert.Equal(ErrorCodes.ChallengeNotFound, error.Code);
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_and_spent()
    {
        var store = new SqliteChallengeStore(database.Open());
        var challenge = Challenge();
        await store.SaveChallengeAsync(challenge);

        var late = await Assert.ThrowsAsync<IdVerifyException>(() => store.ConsumeChallengeAsync(challenge.ChallengeId, challenge.ExpiresAt));
        var retry = await Assert.ThrowsAsync<IdVerifyException>(() => store.ConsumeChallengeAsync(challenge.ChallengeId, Issued));

        Assert.Equal(ErrorCodes.ChallengeExpired, late.Code);
        Assert.Equal(ErrorCodes.ChallengeUsed, retry.Code);
    }

    [Fact]
    public async Task Concurrent_consumes_of_one_challenge_let_exactly_one_through()
    {
        const int racers = 16;
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteChallengeStore(database.Open())).ToArray();
        var challenge = Challenge();
        await stores[0].SaveChallengeAsync(challenge);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, racers).Select(i => Task.Run(async () =>
        {
            try
            {
                await stores[i % stores.Length].ConsumeChallengeAsync(challenge.ChallengeId, Issued.AddSeconds(1));
                return true;
            }
            catch (IdVerifyException ex) when (ex.Code == ErrorCodes.ChallengeUsed)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o));
    }

    public void Dispose() => database.Dispose();
}
