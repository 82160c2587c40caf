namespace IdVerify.Api.Endpoints.Contracts;

public sealed record SwapResponse(ActiveBundleDto Active, string Previous, double SwapMs) : IHasOpenApiExample<SwapResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static SwapResponse Example { get; } = new(ActiveBundleDto.Example, "w600k-mbf", 182.4);
}
