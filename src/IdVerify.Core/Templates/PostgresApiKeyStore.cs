using System.Security.Cryptography;
using IdVerify.Core.Access;
using Npgsql;
using static IdVerify.Core.Templates.PostgresDatabase;

namespace IdVerify.Core.Templates;

/// <summary>API keys in PostgreSQL: name, SHA-256 of the key, scopes and dates, as in <see cref="SqliteApiKeyStore"/>.</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    private const string Columns = "name, secret_sha256, scopes, created_at, expires_at, last_used_at, revoked_at";

    public async Task AddAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, $"INSERT INTO api_keys ({Columns}) VALUES (@n, @h, @s, @c, @e, NULL, NULL)", cancellationToken,
                ("n", key.Name), ("h", secretHash), ("s", string.Join(' ', key.Scopes)), ("c", Utc(key.CreatedAt)),
                ("e", key.ExpiresAt is { } expires ? Utc(expires) : null));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new IdVerifyException(ErrorCodes.KeyExists, $"A key named '{key.Name}' exists (or existed: names of revoked keys are not reused).", ex);
        }
    }

    public async Task<ApiKey?> FindByHashAsync(byte[] secretHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null, $"SELECT {Columns} FROM api_keys WHERE secret_sha256 = @h", ("h", secretHash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // The index finds the row; the stored hash is compared again in constant time.
        return await reader.ReadAsync(cancellationToken) && CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(1), secretHash)
            ? Read(reader)
            : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Prepare(connection, null, $"SELECT {Columns} FROM api_keys ORDER BY created_at, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @t) WHERE name = @n", cancellationToken,
            ("t", Utc(at)), ("n", name)) == 1;
    }

    public async Task TouchAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE api_keys SET last_used_at = @t WHERE name = @n", cancellationToken, ("t", Utc(at)), ("n", name));
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ScalarAsync(connection, null, "SELECT EXISTS (SELECT 1 FROM api_keys)", cancellationToken) is true;
    }

    private static ApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        reader.GetFieldValue<DateTimeOffset>(3),
        ReadTime(reader, 4),
        ReadTime(reader, 5),
        ReadTime(reader, 6));
}
