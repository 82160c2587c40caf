namespace IdVerify.Core.Access;

/// <summary>
/// What is kept of an API key: never the key itself, only its name (the caller's name in logs and the audit log), its
/// scopes and its dates. The hash that identifies it stays inside the store.
/// </summary>
public sealed record ApiKey(
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? LastUsedAt = null,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>Neither revoked nor expired at <paramref name="now"/>.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt.Value);
}
