using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

public sealed class SqliteDecisionLogTests : IDisposable
{
    private readonly TempDatabase database = new();

    [Fact]
    public async Task Decisions_are_kept_for_audit()
    {
        var log = new SqliteDecisionLog(database.Open());
        var decision = new DecisionRecord("d1", "frank", DateTimeOffset.UtcNow, true, true, 0.71f, 0.3111f, 1e-3, true, 0.98f,
            "yunet-2026may", "mobilefacenet-paddlex-128d", "minifasnet-v2-2.7+minifasnet-v1se-4.0");

        await log.RecordDecisionAsync(decision);
        var stored = await new SqliteDecisionLog(database.Open()).GetDecisionAsync("d1");

        Assert.Equal(decision with { CreatedAt = stored!.CreatedAt }, stored);
        Assert.True((decision.CreatedAt - stored.CreatedAt).Duration() < TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task An_unknown_decision_is_null()
    {
        Assert.Null(await new SqliteDecisionLog(database.Open()).GetDecisionAsync("nope"));
    }

    public void Dispose() => database.Dispose();
}
