namespace IdVerify.Api.Endpoints.Contracts;

/// <param name="Expires">a lifetime (<c>90d</c>, <c>12h</c>, <c>30m</c>) or an ISO 8601 date or time; null for a key that does not expire.</param>
public sealed record CreateKeyRequest(string? Name, IReadOnlyList<string>? Scopes, string? Expires) : IHasOpenApiExample<CreateKeyRequest>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static CreateKeyRequest Example { get; } = new("branch-kiosk-07", ["verify", "liveness"], "90d");
}
