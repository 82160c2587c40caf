using IdVerify.Core.Models;

namespace IdVerify.Core.Matching;

/// <summary>
/// The decision threshold for one embedder, taken from the manifest's calibration for the configured
/// false-match-rate target: the bank picks a risk, the measurement gives the cosine.
/// </summary>
public sealed record MatchPolicy(string EmbedderId, double FmrTarget, float Threshold, CalibrationPoint Calibration)
{
    public static MatchPolicy For(ModelEntry embedder, double fmrTarget)
    {
        var points = embedder.Calibration ?? [];
        var point = points.FirstOrDefault(p => Math.Abs(p.Fmr - fmrTarget) <= fmrTarget * 1e-6)
            ?? throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                $"Embedder '{embedder.Id}' has no calibrated threshold for FMR {fmrTarget:G}; calibrated targets: " +
                (points.Count == 0 ? "none" : string.Join(", ", points.Select(p => p.Fmr.ToString("G", System.Globalization.CultureInfo.InvariantCulture)))) + ".");
        return new MatchPolicy(embedder.Id, fmrTarget, (float)point.Threshold, point);
    }

    public bool IsMatch(float score) => score >= Threshold;
}

public static class Similarity
{
    /// <summary>Cosine of two L2-normalised vectors.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Cannot compare a {a.Length}-d vector with a {b.Length}-d one.", nameof(b));
        }

        var dot = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }
}
