namespace IdVerify.Core.Access;

/// <summary>A key just created: <paramref name="Secret"/> is shown to the operator once and kept nowhere.</summary>
public sealed record IssuedApiKey(ApiKey Key, string Secret);
