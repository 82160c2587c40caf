using IdVerify.Core.Detection;

namespace IdVerify.Api.Endpoints.Contracts;

public sealed record FaceDto(BoxDto Box, IReadOnlyList<float[]> Landmarks, float Confidence)
{
    public static FaceDto From(DetectedFace face) => new(
        new BoxDto(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height),
        face.Landmarks.Select(p => new[] { p.X, p.Y }).ToList(),
        face.Score);
}
