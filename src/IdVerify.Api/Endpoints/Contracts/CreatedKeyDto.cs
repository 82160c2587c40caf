using IdVerify.Core.Access;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>A new key. <paramref name="Key"/> is shown in this response only; the service keeps its hash.</summary>
public sealed record CreatedKeyDto(string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key) : IHasOpenApiExample<CreatedKeyDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static CreatedKeyDto Example { get; } = new("branch-kiosk-07", ["verify", "liveness"], new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 5, 31, 9, 0, 0, TimeSpan.Zero), "idv_Xr4mQ8pZ2sLk7vNw3tYb9cHf6jDg1eUa");

    public static CreatedKeyDto From(IssuedApiKey issued) =>
        new(issued.Key.Name, issued.Key.Scopes, issued.Key.CreatedAt, issued.Key.ExpiresAt, issued.Secret);
}
