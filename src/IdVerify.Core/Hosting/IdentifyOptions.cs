using System.ComponentModel.DataAnnotations;

namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Identify</c>: 1:N search of the gallery.</summary>
public sealed class IdentifyOptions
{
    public const string Section = "Identify";

    /// <summary>
    /// The false positive identification rate the bank accepts: the chance that a stranger's search returns anyone. Against
    /// N subjects it is about N × FMR, so the threshold is the calibrated one for FMR ≤ FpirTarget / N.
    /// </summary>
    [Range(1e-9, 0.5)]
    public double FpirTarget { get; set; } = 1e-2;

    /// <summary>Candidates returned when the request does not say.</summary>
    [Range(1, 100)]
    public int DefaultTop { get; set; } = 5;

    /// <summary>The most candidates one request may ask for.</summary>
    [Range(1, 100)]
    public int MaxTop { get; set; } = 20;
}
