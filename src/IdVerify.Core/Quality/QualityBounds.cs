namespace IdVerify.Core.Quality;

/// <summary>
/// Limits a face must meet. The defaults are the verification bounds; <see cref="Enrollment"/> is stricter,
/// since a poor template hurts every later login. Chosen from the 183 labelled bona fide faces of
/// shared/faces (5th–95th percentiles: inter-eye 36–150 px, brightness 82–174, clipped 0–0.18, |yaw| ≤ 26°,
/// pitch −13…+9°, roll −6…+15°) and from the same photos degraded: darkening to 15% brightness 16–27,
/// brightening ×2.5 clips 45–85% of the face, a 25% downscale leaves 18–30 px between the eyes. Sharpness: see
/// <see cref="MinSharpness"/>.
/// </summary>
public sealed record QualityBounds
{
    public float MinInterEyeDistance { get; init; } = 24;

    /// <summary>
    /// Variance of the Laplacian over the aligned 112×112 face divided by the face's grey-level variance: free of the
    /// face's size in the frame (the aligned face is always the same size) and of its contrast. On the 167 labelled bona
    /// fide faces of shared/faces with eyes ≥ 40 px apart: 5th percentile 0.090, median 0.36; the same photos scaled down
    /// to 45 px between the eyes: 5th percentile 0.065; every frame of the real video clips in shared/faces/sequences
    /// (franck, GRID; 168 frames) ≥ 0.097. Blurred at the face's scale (Gaussian σ = 1 / 2 / 3 px of the aligned face):
    /// median 0.040 / 0.009 / 0.005. So 0.015 for verification, 0.04 for enrollment.
    /// </summary>
    public float MinSharpness { get; init; } = 0.015f;

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
        MinSharpness = 0.04f,
        MinBrightness = 55,
        MaxBrightness = 210,
        MaxClippedFraction = 0.25f,
        MaxYaw = 30,
        MaxPitch = 20,
        MaxRoll = 20,
        AllowCutByFrame = false,
    };
}
