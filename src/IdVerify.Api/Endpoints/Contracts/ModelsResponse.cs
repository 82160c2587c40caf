namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ModelsResponse(ActiveBundleDto Active, IReadOnlyList<ManifestModelDto> Models);
