namespace IdVerify.Api.Endpoints.Contracts;

public sealed record ModelsResponse(ActiveBundleDto Active, IReadOnlyList<ManifestModelDto> Models) : IHasOpenApiExample<ModelsResponse>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static ModelsResponse Example { get; } = new(ActiveBundleDto.Example, [new ManifestModelDto("mobilefacenet-paddlex-128d", "embedder", "arcface112",
        "embedder/MobileFaceNet_paddlex_128d.onnx", 4001322, "6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743",
        "PaddleX code Apache-2.0; trained on MS1Mv3 (check data terms before shipping)", Present: true, Calibrated: true)]);
}
