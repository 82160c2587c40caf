namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ApiKeysResponse(IReadOnlyList<ApiKeyDto> Keys) : IHasOpenApiExample<ApiKeysResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static ApiKeysResponse Example { get; } = new([new ApiKeyDto("branch-kiosk-07", ["verify", "liveness"], "active", new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 5, 31, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 9, 16, 12, TimeSpan.Zero), null)]);
}
