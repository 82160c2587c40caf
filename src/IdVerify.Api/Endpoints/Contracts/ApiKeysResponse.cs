namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ApiKeysResponse(IReadOnlyList<ApiKeyDto> Keys);
