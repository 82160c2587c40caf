namespace IdVerify.Core.Access;

/// <summary>API keys, stored by the SHA-256 of the key (a 256-bit random secret needs no slow hash), never the key.</summary>
public interface IApiKeyStore
{
    /// <summary>Adds a key; a name already used (revoked keys keep theirs, so the audit log's names stay unambiguous) is <c>key_exists</c>.</summary>
    Task AddAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default);

    /// <summary>The key with this hash, in whatever state (revoked, expired), or null.</summary>
    Task<ApiKey?> FindByHashAsync(byte[] secretHash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked (a second revoke keeps the first time); false when there is no such key.</summary>
    Task<bool> RevokeAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a use; callers write it at most once a minute per key.</summary>
    Task TouchAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Whether any key was ever defined (revoked ones count: the service creates a bootstrap key only on a fresh file).</summary>
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
}
