namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>The face box centre's offset from the frame centre, as fractions of the frame's width and height (+ = right, down).</summary>
public sealed record CentreOffsetDto(float X, float Y);
