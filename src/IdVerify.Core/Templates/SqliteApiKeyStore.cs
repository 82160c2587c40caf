using System.Security.Cryptography;
using IdVerify.Core.Access;
using Microsoft.Data.Sqlite;
using static IdVerify.Core.Templates.SqliteDatabase;

namespace IdVerify.Core.Templates;

/// <summary>API keys in the <c>api_keys</c> table of <see cref="SqliteDatabase"/>: name, SHA-256 of the key, scopes and dates.</summary>
public sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore
{
    private const string Columns = "name, secret_sha256, scopes, created_at, expires_at, last_used_at, revoked_at";

    public Task AddAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        try
        {
            Execute(connection, null, $"INSERT INTO api_keys ({Columns}) VALUES ($n, $h, $s, $c, $e, NULL, NULL)",
                ("$n", key.Name), ("$h", secretHash), ("$s", string.Join(' ', key.Scopes)), ("$c", Timestamp(key.CreatedAt)),
                ("$e", key.ExpiresAt is { } expires ? Timestamp(expires) : DBNull.Value));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new IdVerifyException(ErrorCodes.KeyExists, $"A key named '{key.Name}' exists (or existed: names of revoked keys are not reused).", ex);
        }

        return Task.CompletedTask;
    }

    public async Task<ApiKey?> FindByHashAsync(byte[] secretHash, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys WHERE secret_sha256 = $h";
        command.Parameters.AddWithValue("$h", secretHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // The index finds the row; the stored hash is compared again in constant time, so no answer depends on how much
        // of a hash matched.
        return await reader.ReadAsync(cancellationToken) && CryptographicOperations.FixedTimeEquals((byte[])reader.GetValue(1), secretHash)
            ? Read(reader)
            : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys ORDER BY created_at, name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public Task<bool> RevokeAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        return Task.FromResult(Execute(connection, null, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $t) WHERE name = $n",
            ("$t", Timestamp(at)), ("$n", name)) == 1);
    }

    public Task TouchAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        Execute(connection, null, "UPDATE api_keys SET last_used_at = $t WHERE name = $n", ("$t", Timestamp(at)), ("$n", name));
        return Task.CompletedTask;
    }

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        return Task.FromResult(Scalar(connection, null, "SELECT EXISTS (SELECT 1 FROM api_keys)") is long and not 0);
    }

    private static ApiKey Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ParseTimestamp(reader.GetString(3)),
        reader.IsDBNull(4) ? null : ParseTimestamp(reader.GetString(4)),
        reader.IsDBNull(5) ? null : ParseTimestamp(reader.GetString(5)),
        reader.IsDBNull(6) ? null : ParseTimestamp(reader.GetString(6)));
}
