using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;

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

public sealed record QualityReport(bool Passed, IReadOnlyList<string> Issues, QualityValues Values);

/// <summary>The bounds for each decision: enrollment stricter than verification.</summary>
public sealed record QualityPolicy(QualityBounds Enrollment, QualityBounds Verification)
{
    public static QualityPolicy Default => new(QualityBounds.Enrollment, new QualityBounds());
}

/// <summary>A photo refused for its capture quality, with the issues a kiosk can show the customer.</summary>
public sealed class QualityException(string message, IReadOnlyList<string> issues)
    : IdVerifyException(ErrorCodes.QualityTooLow, message)
{
    public IReadOnlyList<string> Issues { get; } = issues;
}

public static class QualityIssues
{
    public const string TooSmall = "too_small";
    public const string TooBlurry = "too_blurry";
    public const string TooDark = "too_dark";
    public const string TooBright = "too_bright";
    public const string ExposureClipped = "exposure_clipped";
    public const string PoseTooLarge = "pose_too_large";
    public const string FaceCutOff = "face_cut_off";
}

/// <summary>Measures a face's capture quality and checks it against bounds.</summary>
public static class FaceQualityAssessor
{
    public static QualityValues Measure(DetectedFace face, AlignedFace aligned, int imageWidth, int imageHeight)
    {
        const int size = AlignedFace.Size;
        var grey = new float[size * size];
        for (var i = 0; i < grey.Length; i++)
        {
            var p = aligned.Pixels[i];
            grey[i] = (0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B);
        }

        // The warp fills the outside of the source with black: judge only the central face region.
        double sum = 0, sumSq = 0, lapSum = 0, lapSq = 0;
        int count = 0, clipped = 0, lapCount = 0;
        for (var y = 16; y < size - 8; y++)
        {
            for (var x = 16; x < size - 16; x++)
            {
                var v = grey[(y * size) + x];
                sum += v;
                sumSq += v * v;
                count++;
                clipped += v is <= 4 or >= 251 ? 1 : 0;
                var laplacian = grey[((y - 1) * size) + x] + grey[((y + 1) * size) + x] + grey[(y * size) + x - 1] + grey[(y * size) + x + 1] - (4 * v);
                lapSum += laplacian;
                lapSq += laplacian * laplacian;
                lapCount++;
            }
        }

        var lapMean = lapSum / lapCount;
        var pose = HeadPose.Estimate(face.Landmarks);
        var box = face.Box;
        var cut = box.X < 0 || box.Y < 0 || box.X + box.Width > imageWidth || box.Y + box.Height > imageHeight;
        return new QualityValues(
            face.InterEyeDistance,
            (float)((lapSq / lapCount) - (lapMean * lapMean)),
            (float)(sum / count),
            clipped / (float)count,
            pose.Yaw,
            pose.Pitch,
            pose.Roll,
            cut);
    }

    public static QualityReport Check(QualityValues values, QualityBounds bounds)
    {
        var issues = new List<string>();
        if (values.InterEyeDistance < bounds.MinInterEyeDistance)
        {
            issues.Add(QualityIssues.TooSmall);
        }

        if (values.Sharpness < bounds.MinSharpness)
        {
            issues.Add(QualityIssues.TooBlurry);
        }

        if (values.Brightness < bounds.MinBrightness)
        {
            issues.Add(QualityIssues.TooDark);
        }

        if (values.Brightness > bounds.MaxBrightness)
        {
            issues.Add(QualityIssues.TooBright);
        }

        if (values.ClippedFraction > bounds.MaxClippedFraction)
        {
            issues.Add(QualityIssues.ExposureClipped);
        }

        if (Math.Abs(values.Yaw) > bounds.MaxYaw || Math.Abs(values.Pitch) > bounds.MaxPitch || Math.Abs(values.Roll) > bounds.MaxRoll)
        {
            issues.Add(QualityIssues.PoseTooLarge);
        }

        if (values.CutByFrame && !bounds.AllowCutByFrame)
        {
            issues.Add(QualityIssues.FaceCutOff);
        }

        return new QualityReport(issues.Count == 0, issues, values);
    }
}
