using IdVerify.Core.Access;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A key as listed: never the key or its hash.</summary>
/// <param name="State"><c>active</c>, <c>expired</c> or <c>revoked</c>.</param>
public sealed record ApiKeyDto(
    string Name, IReadOnlyList<string> Scopes, string State, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKey k, DateTimeOffset now) =>
        new(k.Name, k.Scopes, k.RevokedAt is not null ? "revoked" : k.IsUsableAt(now) ? "active" : "expired", k.CreatedAt, k.ExpiresAt,
            k.LastUsedAt, k.RevokedAt);
}
