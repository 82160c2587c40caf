using IdVerify.Core.Detection;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record FaceDto(BoxDto Box, IReadOnlyList<float[]> Landmarks, float Confidence) : IHasOpenApiExample<FaceDto>
{
    /// <summary>The OpenAPI example (made-up values; no biometric data).</summary>
    public static FaceDto Example { get; } = new(new BoxDto(184.2f, 126.7f, 212.4f, 268.9f),
        [[238.1f, 241.5f], [334.4f, 239.8f], [287.0f, 296.3f], [248.9f, 344.2f], [326.5f, 342.7f]], 0.998f);

    public static FaceDto From(DetectedFace face) => new(
        new BoxDto(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height),
        face.Landmarks.Select(p => new[] { p.X, p.Y }).ToList(),
        face.Score);
}
