using Npgsql;

namespace IdVerify.Core.Templates;

/// <summary>
/// The PostgreSQL store is usable when a connection opens and the server takes writes: a server gone, refused
/// credentials, or an instance pointed at a read-only replica (a failover that left it behind) all fail here, before a
/// verify fails on its decision write.
/// </summary>
public sealed class PostgresStoreHealth(PostgresDatabase database) : IStoreHealth
{
    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SHOW transaction_read_only", connection);
            var readOnly = (string?)await command.ExecuteScalarAsync(cancellationToken);
            return readOnly == "on"
                ? $"the PostgreSQL server {connection.Host}:{connection.Port} takes no writes (a read-only replica or standby)"
                : null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return $"the PostgreSQL server cannot be reached: {e.Message}";
        }
    }
}
