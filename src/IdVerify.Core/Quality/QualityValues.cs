namespace IdVerify.Core.Quality;

/// <summary>Capture-quality measurements of one face (ISO/IEC 29794-5 in spirit).</summary>
public sealed record QualityValues(
    float InterEyeDistance,
    float Sharpness,
    float Brightness,
    float ClippedFraction,
    float Yaw,
    float Pitch,
    float Roll,
    bool CutByFrame);
