using Npgsql;

namespace IdVerify.Tests;

/// <summary>
/// A fresh, empty database on the test PostgreSQL server (<c>$IDVERIFY_TEST_POSTGRES</c>, else the loopback server that
/// <c>.ci/postgres</c> starts), dropped on dispose. A server that cannot be reached fails the test with how to start one:
/// the PostgreSQL tests never skip.
/// </summary>
public sealed class PostgresTestDatabase : IDisposable
{
    public const string Variable = "IDVERIFY_TEST_POSTGRES";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=idverify;Password=idverify;Database=idverify_test";

    private readonly string server;
    private readonly string name = $"idv_{Guid.NewGuid():N}";

    public PostgresTestDatabase()
    {
        server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : DefaultConnectionString;
        var builder = new NpgsqlConnectionStringBuilder(server);
        try
        {
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL test server at {builder.Host}:{builder.Port} (database {builder.Database}, user {builder.Username}) is not reachable: " +
                $"{ex.Message}. Run .ci/postgres (as root) to install and start it, or set {Variable} to a connection string of a role " +
                "that may create databases.", ex);
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
