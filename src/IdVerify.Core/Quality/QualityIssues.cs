namespace IdVerify.Core.Quality;

/// <summary>The issue codes a <see cref="QualityReport"/> lists, one per bound a face broke.</summary>
public static class QualityIssues
{
    public const string TooSmall = "too_small";
    public const string TooBlurry = "too_blurry";
    public const string TooDark = "too_dark";
    public const string TooBright = "too_bright";
    public const string ExposureClipped = "exposure_clipped";
    public const string PoseTooLarge = "pose_too_large";
    public const string FaceCutOff = "face_cut_off";

    /// <summary>Only from a preview frame's check (<see cref="FaceFraming"/>): where the face sits does not change a verify decision.</summary>
    public const string NotCentred = "not_centred";
}
