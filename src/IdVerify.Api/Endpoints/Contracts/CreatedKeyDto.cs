using IdVerify.Core.Access;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A new key. <paramref name="Key"/> is shown in this response only; the service keeps its hash.</summary>
public sealed record CreatedKeyDto(string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key)
{
    public static CreatedKeyDto From(IssuedApiKey issued) =>
        new(issued.Key.Name, issued.Key.Scopes, issued.Key.CreatedAt, issued.Key.ExpiresAt, issued.Secret);
}
