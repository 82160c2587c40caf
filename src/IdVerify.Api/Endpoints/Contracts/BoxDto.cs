namespace IdVerify.Api.Endpoints.Contracts;

public sealed record BoxDto(float X, float Y, float Width, float Height);
