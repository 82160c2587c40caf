namespace IdVerify.Core.Quality;

/// <summary>
/// Limits a face must meet. The defaults are the verification bounds; <see cref="Enrollment"/> is stricter,
/// since a poor template hurts every later login. Chosen from the 183 labelled bona fide faces of
/// shared/faces (5th–95th percentiles: inter-eye 36–150 px, sharpness 229–2,340, brightness 82–174,
/// clipped 0–0.18, |yaw| ≤ 26°, pitch −13…+9°, roll −6…+15°) and from the same photos degraded:
/// Gaussian blur σ 4 gives sharpness 10–25 on normal-size faces, darkening to 15% brightness 16–27,
/// brightening ×2.5 clips 45–85% of the face, a 25% downscale leaves 18–30 px between the eyes.
/// </summary>
public sealed record QualityBounds
{
    public float MinInterEyeDistance { get; init; } = 24;

    /// <summary>Variance of the Laplacian over the aligned 112×112 face (grey levels²).</summary>
    public float MinSharpness { get; init; } = 40;

    public float MinBrightness { get; init; } = 35;

    public float MaxBrightness { get; init; } = 225;

    /// <summary>Fraction of aligned-face pixels at or below 4 or at or above 251: crushed shadows or blown highlights.</summary>
    public float MaxClippedFraction { get; init; } = 0.45f;

    public float MaxYaw { get; init; } = 45;

    public float MaxPitch { get; init; } = 30;

    public float MaxRoll { get; init; } = 30;

    public bool AllowCutByFrame { get; init; } = true;

    public static QualityBounds Enrollment => new()
    {
        MinInterEyeDistance = 40,
        MinSharpness = 100,
        MinBrightness = 55,
        MaxBrightness = 210,
        MaxClippedFraction = 0.25f,
        MaxYaw = 30,
        MaxPitch = 20,
        MaxRoll = 20,
        AllowCutByFrame = false,
    };
}
