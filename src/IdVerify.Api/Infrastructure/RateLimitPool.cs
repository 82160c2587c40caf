namespace IdVerify.Api.Infrastructure;

/// <summary>Endpoint metadata: the route counts against this <see cref="RateLimitSettings"/> pool instead of its scope's.</summary>
public sealed record RateLimitPool(string Name);
