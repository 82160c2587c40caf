namespace IdVerify.Api.Endpoints.Contracts;

public sealed record SwapResponse(ActiveBundleDto Active, string Previous, double SwapMs);
