namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>POST /v1/identify as JSON: a base64 selfie (the number of candidates is the <c>top</c> query parameter).</summary>
public sealed record IdentifyJsonRequest(string? Image);
