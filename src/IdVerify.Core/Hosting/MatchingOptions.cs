using System.ComponentModel.DataAnnotations;
using IdVerify.Core.Matching;

namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Matching</c>.</summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>The false match rate the bank accepts; mapped to a threshold by the embedder's calibration.</summary>
    [Range(1e-9, 0.5)]
    public double FmrTarget { get; set; } = 1e-3;

    /// <summary>How a probe is scored against several templates; mean was measured to keep the calibrated FMR.</summary>
    public TemplateAggregation TemplateAggregation { get; set; } = TemplateAggregation.Mean;

    /// <summary>After an embedder swap, keep the old one loaded so its subjects still verify (else 409 reenrollment_required).</summary>
    public bool KeepLegacyEmbedders { get; set; }
}
