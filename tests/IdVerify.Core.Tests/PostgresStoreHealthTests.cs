using IdVerify.Core.Templates;
using IdVerify.Tests;
using Npgsql;

namespace IdVerify.Core.Tests;

public sealed class PostgresStoreHealthTests
{
    [Fact]
    public async Task Store_health_is_good_on_a_writable_server_and_bad_on_a_read_only_one()
    {
        using var server = new PostgresTestDatabase();
        // Unpooled, so the check's next session sees the database's new default.
        using var database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString);
        var health = new PostgresStoreHealth(database);
        Assert.Null(await health.CheckAsync());

        // What a standby answers once the service is running on it: every new session is read-only.
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(server.ConnectionString).Database;
            await using var command = new NpgsqlCommand($"ALTER DATABASE {name} SET default_transaction_read_only = on", admin);
            await command.ExecuteNonQueryAsync();
        }

        var problem = await health.CheckAsync();

        Assert.NotNull(problem);
        Assert.Contains("takes no writes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_health_names_a_database_that_went_away()
    {
        var server = new PostgresTestDatabase();
        using var database = new PostgresDatabase(server.ConnectionString);
        Assert.Null(await new PostgresStoreHealth(database).CheckAsync());

        server.Dispose();
        var problem = await new PostgresStoreHealth(database).CheckAsync();

        Assert.NotNull(problem);
        Assert.StartsWith("the PostgreSQL server cannot be reached", problem, StringComparison.Ordinal);
    }
}
