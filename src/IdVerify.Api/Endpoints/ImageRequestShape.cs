namespace IdVerify.Api.Endpoints;

/// <summary>Endpoint metadata: the route reads an image request, of several images (enroll) or one image or burst (verify).</summary>
public sealed record ImageRequestShape(bool Many);
