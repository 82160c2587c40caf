using IdVerify.Core.Imaging;

namespace IdVerify.Core.Quality;

/// <summary>Where a face sits in a preview frame, for a kiosk's framing hint.</summary>
public static class FaceFraming
{
    /// <summary>
    /// The box centre may sit this fraction of the frame's width (horizontally) or height (vertically) from the frame
    /// centre. 0.15 keeps the centre in the middle 30% of the frame, inside the oval the kiosk page draws (46–52% of the
    /// preview's width, 70–82% of its height), so a face that passes sits in the oval.
    /// </summary>
    public const float MaxCentreOffset = 0.15f;

    /// <summary>The box centre's signed offset from the frame centre, as fractions of the frame's width and height (+ = right, down).</summary>
    public static (float X, float Y) CentreOffset(FaceBox box, int width, int height) =>
        ((box.CenterX / width) - 0.5f, (box.CenterY / height) - 0.5f);

    public static bool IsCentred((float X, float Y) offset) =>
        Math.Abs(offset.X) <= MaxCentreOffset && Math.Abs(offset.Y) <= MaxCentreOffset;
}
