using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Templates;

/// <summary>
/// The SQLite file is usable when a write transaction can begin on it: a file made read-only, a full or read-only
/// volume, or a folder the service lost access to all fail here, before a verify fails on its decision write.
/// </summary>
public sealed class SqliteStoreHealth(SqliteDatabase database) : IStoreHealth
{
    public Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            transaction.Rollback();
            return Task.FromResult<string?>(null);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            return Task.FromResult<string?>($"the SQLite file {database.Path} cannot be written: {e.Message}");
        }
    }
}
