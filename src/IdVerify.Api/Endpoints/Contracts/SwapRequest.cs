namespace IdVerify.Api.Endpoints.Contracts;

public sealed record SwapRequest(string? Id, IReadOnlyList<string>? Ids);
