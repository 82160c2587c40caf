namespace IdVerify.Api.Endpoints.Contracts;

public sealed record SwapRequest(string? Id, IReadOnlyList<string>? Ids) : IHasOpenApiExample<SwapRequest>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static SwapRequest Example { get; } = new("mobilefacenet-paddlex-128d", null);
}
