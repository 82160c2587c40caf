using IdVerify.Core.Imaging;

namespace IdVerify.Core.Detection;

/// <summary>A face found by a detector, in source-image pixels. Landmarks: image-left eye, image-right eye, nose tip, left and right mouth corners.</summary>
public sealed record DetectedFace(FaceBox Box, IReadOnlyList<Point2> Landmarks, float Score)
{
    public float InterEyeDistance => MathF.Sqrt(
        MathF.Pow(Landmarks[1].X - Landmarks[0].X, 2) + MathF.Pow(Landmarks[1].Y - Landmarks[0].Y, 2));
}
