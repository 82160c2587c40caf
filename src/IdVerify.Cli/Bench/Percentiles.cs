using MathNet.Numerics.Statistics;

namespace IdVerify.Cli.Bench;

/// <summary>Latency percentiles of one stage, in milliseconds.</summary>
public sealed record Percentiles(double P50, double P95, double P99, double Max, int Count)
{
    /// <summary>
    /// Nearest-rank percentiles (the inverse of the empirical CDF: the smallest sample with at least q of the samples at
    /// or below it, never an interpolated value), rounded to 0.01 ms.
    /// </summary>
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0);
        }

        double At(double q) => Math.Round(SortedArrayStatistics.QuantileCustom(sorted, q, QuantileDefinition.EmpiricalInvCDF), 2);
        return new Percentiles(At(0.50), At(0.95), At(0.99), Math.Round(sorted[^1], 2), sorted.Length);
    }
}
