using System.Globalization;
using IdVerify.Core.Models;

namespace IdVerify.Core.Matching;

/// <summary>
/// The decision threshold for one embedder, taken from the manifest's calibration for a false-match-rate
/// target: the bank picks a risk, the measurement gives the cosine.
/// </summary>
public sealed record MatchPolicy(ModelEntry Embedder, double FmrTarget, float Threshold, TemplateAggregation Aggregation)
{
    public string EmbedderId => Embedder.Id;

    public static MatchPolicy For(ModelEntry embedder, double fmrTarget, TemplateAggregation aggregation = TemplateAggregation.Mean)
    {
        var points = embedder.Calibration ?? [];
        var point = points.FirstOrDefault(p => Math.Abs(p.Fmr - fmrTarget) <= fmrTarget * 1e-6)
            ?? throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported,
                $"Embedder '{embedder.Id}' has no calibrated threshold for FMR {fmrTarget:G}; calibrated targets: " +
                (points.Count == 0 ? "none (run idverify eval --calibrate)" : string.Join(", ", points.Select(p => p.Fmr.ToString("G", CultureInfo.InvariantCulture)))) + ".");
        return new MatchPolicy(embedder, fmrTarget, (float)point.Threshold, aggregation);
    }

    /// <summary>A per-request target: allowed only when it is at least as strict as this policy's and calibrated.</summary>
    public MatchPolicy Stricter(double fmrTarget)
    {
        if (fmrTarget > FmrTarget * (1 + 1e-9))
        {
            throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported,
                $"A request may only ask for a stricter false match rate than the service's {FmrTarget:G}.");
        }

        return For(Embedder, fmrTarget, Aggregation);
    }

    public bool IsMatch(float score) => score >= Threshold;
}
