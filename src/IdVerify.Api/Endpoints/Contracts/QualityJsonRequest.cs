namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/quality as JSON: one base64 preview frame.</summary>
public sealed record QualityJsonRequest(string? Image);
