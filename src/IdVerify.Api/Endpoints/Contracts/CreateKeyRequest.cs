namespace IdVerify.Api.Endpoints.Contracts;

/// <param name="Expires">a lifetime (<c>90d</c>, <c>12h</c>, <c>30m</c>) or an ISO 8601 date or time; null for a key that does not expire.</param>
public sealed record CreateKeyRequest(string? Name, IReadOnlyList<string>? Scopes, string? Expires);
