namespace IdVerify.Core.Tests;

/// <summary>The store contract on the real PostgreSQL test server (fails, never skips, when it is not running).</summary>
public sealed class PostgresStoreContractTests : StoreContractTests<PostgresStoreBackend>
{
    [Fact]
    public async Task Instances_starting_at_once_apply_each_migration_exactly_once()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(Backend.Open)));

        Assert.All(databases, d => Assert.Equal([1, 2], d.AppliedVersions()));
    }
}
