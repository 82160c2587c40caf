using IdVerify.Core.Detection;

namespace IdVerify.Core.Quality;

/// <summary>
/// A preview frame's quick check: the face verify would pick (null when none was found), the issues it has (verify's
/// capture-quality issues plus framing) and what was measured, all in the frame's own pixels.
/// </summary>
public sealed record FrameQuality(
    int Width,
    int Height,
    DetectedFace? Face,
    (float X, float Y) CentreOffset,
    IReadOnlyList<string> Issues,
    QualityValues? Values)
{
    public static FrameQuality NoFace(int width, int height) => new(width, height, null, default, [], null);
}
