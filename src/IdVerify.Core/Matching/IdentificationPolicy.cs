using System.Globalization;

namespace IdVerify.Core.Matching;

/// <summary>
/// The threshold of a search against <paramref name="GallerySize"/> subjects: with N impostor comparisons the chance that
/// one passes (the false positive identification rate) is about N × FMR, so the search takes the loosest calibrated point
/// with FMR ≤ FpirTarget / N, never looser than the verify policy. <see cref="Match"/> carries that threshold and FMR.
/// </summary>
public sealed record IdentificationPolicy(MatchPolicy Match, int GallerySize, double FpirTarget)
{
    public float Threshold => Match.Threshold;

    public double Fmr => Match.FmrTarget;

    /// <summary>Throws <see cref="ErrorCodes.FpirTargetUnreachable"/> when no calibrated point is strict enough.</summary>
    public static IdentificationPolicy For(MatchPolicy verify, double fpirTarget, int gallerySize)
    {
        var limit = Math.Min(fpirTarget / Math.Max(1, gallerySize), verify.FmrTarget);
        var points = verify.Embedder.Calibration ?? [];
        var point = points.Where(p => p.Fmr <= limit * (1 + 1e-9)).MaxBy(p => p.Fmr)
            ?? throw new IdVerifyException(ErrorCodes.FpirTargetUnreachable,
                $"Against {gallerySize:N0} subjects, Identify:FpirTarget {fpirTarget.ToString("G", CultureInfo.InvariantCulture)} needs a threshold " +
                $"calibrated at FMR ≤ {limit.ToString("G3", CultureInfo.InvariantCulture)}; embedder '{verify.EmbedderId}' is calibrated down to FMR " +
                (points.Count == 0 ? "none" : points.Min(p => p.Fmr).ToString("G", CultureInfo.InvariantCulture)) +
                ". Calibrate stricter points (idverify eval --calibrate) or raise the target.");
        return new IdentificationPolicy(MatchPolicy.For(verify.Embedder, point.Fmr, verify.Aggregation), gallerySize, fpirTarget);
    }
}
