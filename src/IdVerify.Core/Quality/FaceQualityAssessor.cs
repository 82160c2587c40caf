using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;

namespace IdVerify.Core.Quality;

/// <summary>Measures a face's capture quality and checks it against bounds.</summary>
public static class FaceQualityAssessor
{
    /// <param name="refinedPoints">
    /// whether the five points are PFLD-68's (Alignment:RefineLandmarks): the five-point head model reads their nose tip
    /// <see cref="HeadPose.RefinedPitchBias"/> higher in pitch than a detector's, which the pitch is corrected for.
    /// </param>
    public static QualityValues Measure(DetectedFace face, AlignedFace aligned, int imageWidth, int imageHeight, bool refinedPoints = false)
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
        var mean = sum / count;

        // The Laplacian's variance over the face's own contrast: a dim, flat webcam frame and a studio portrait of the same
        // sharpness read alike, and on the aligned face the measure is at the face's scale, not the frame's resolution.
        var contrast = Math.Max((sumSq / count) - (mean * mean), 1);
        var pose = HeadPose.Estimate(face.Landmarks, refinedPoints ? HeadPose.RefinedPitchBias : 0);
        var cut = face.Box.IsCutBy(imageWidth, imageHeight);
        return new QualityValues(
            face.InterEyeDistance,
            (float)(((lapSq / lapCount) - (lapMean * lapMean)) / contrast),
            (float)mean,
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
