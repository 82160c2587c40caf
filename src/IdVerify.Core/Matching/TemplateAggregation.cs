namespace IdVerify.Core.Matching;

/// <summary>How a probe is scored against a subject's several templates.</summary>
public enum TemplateAggregation
{
    /// <summary>The best single cosine: each extra template is one more chance for an impostor.</summary>
    Max,

    /// <summary>
    /// The mean of the cosines: the default. Measured with <c>idverify eval</c> on shared/faces (each identity with
    /// ≥ 3 photos, one probe against up to 3 enrolled: 69 genuine / 1,035 impostor probes) at the single-pair FMR 1e-3
    /// threshold: max 4 false matches and FNMR 2.9%, mean 0 and 2.9%, mean embedding 2 and 1.45%. Mean keeps the
    /// calibrated false match rate (max inflates it with every template), which a bank values over one genuine probe.
    /// </summary>
    Mean,

    /// <summary>The cosine with the normalised mean of the templates (best d', 6.05 against 5.57 for mean).</summary>
    MeanEmbedding,
}
