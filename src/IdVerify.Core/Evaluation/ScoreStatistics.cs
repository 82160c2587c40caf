using MathNet.Numerics.Distributions;

namespace IdVerify.Core.Evaluation;

/// <summary>Biometric error rates from genuine and impostor comparison scores (higher = more similar).</summary>
public sealed class ScoreStatistics
{
    /// <summary>ISO/IEC 19795-1's rule of three: an FMR is only supported by at least about 3/FMR impostor comparisons.</summary>
    public const double RuleOfThree = 3.0;

    private readonly double[] genuine;
    private readonly double[] impostor;

    public ScoreStatistics(IEnumerable<double> genuineScores, IEnumerable<double> impostorScores)
    {
        genuine = genuineScores.Order().ToArray();
        impostor = impostorScores.Order().ToArray();
        if (genuine.Length == 0 || impostor.Length == 0)
        {
            throw new ArgumentException("Both genuine and impostor scores are needed.");
        }
    }

    public IReadOnlyList<double> Genuine => genuine;

    public IReadOnlyList<double> Impostor => impostor;

    /// <summary>Fraction of impostor scores at or above the threshold (accepted).</summary>
    public double Fmr(double threshold) => (impostor.Length - LowerBound(impostor, threshold)) / (double)impostor.Length;

    /// <summary>Fraction of genuine scores below the threshold (rejected).</summary>
    public double Fnmr(double threshold) => LowerBound(genuine, threshold) / (double)genuine.Length;

    /// <summary>The equal error rate and where it happens, over every observed score as a candidate threshold.</summary>
    public (double Rate, double Threshold) EqualErrorRate()
    {
        var best = (Gap: double.MaxValue, Rate: 1.0, Threshold: 0.0);
        foreach (var t in genuine.Concat(impostor).Distinct())
        {
            var fmr = Fmr(t);
            var fnmr = Fnmr(t);
            var gap = Math.Abs(fmr - fnmr);
            if (gap < best.Gap)
            {
                best = (gap, (fmr + fnmr) / 2, t);
            }
        }

        return (best.Rate, best.Threshold);
    }

    /// <summary>
    /// The lowest threshold whose false matches stay within <paramref name="fmrTarget"/> × impostors: just above
    /// the (k+1)-th highest impostor score, rounded up to 4 decimals so the stored value keeps the guarantee.
    /// </summary>
    public OperatingPoint At(double fmrTarget)
    {
        var allowed = (int)Math.Floor((fmrTarget * impostor.Length) + 1e-9);
        var threshold = allowed >= impostor.Length
            ? impostor[0]
            : Math.Ceiling((impostor[impostor.Length - 1 - allowed] + 1e-9) * 10_000) / 10_000;
        var falseMatches = impostor.Length - LowerBound(impostor, threshold);
        return new OperatingPoint(
            fmrTarget,
            threshold,
            Fnmr(threshold),
            falseMatches,
            falseMatches / (double)impostor.Length,
            impostor.Length >= RuleOfThree / fmrTarget,
            UpperBound95(falseMatches, impostor.Length));
    }

    /// <summary>Area under the ROC curve: P(genuine score > impostor score), ties counted half.</summary>
    public double Auc()
    {
        double wins = 0;
        var below = 0;
        var equal = 0;
        var j = 0;
        foreach (var g in genuine)
        {
            while (j < impostor.Length && impostor[j] < g)
            {
                j++;
            }

            below = j;
            equal = 0;
            for (var k = j; k < impostor.Length && impostor[k] == g; k++)
            {
                equal++;
            }

            wins += below + (equal / 2.0);
        }

        return wins / ((double)genuine.Length * impostor.Length);
    }

    /// <summary>
    /// One-sided 95% Clopper–Pearson upper bound on a rate after <paramref name="errors"/> in <paramref name="trials"/>:
    /// the 0.95 quantile of Beta(errors + 1, trials − errors). Zero errors give 1 − 0.05^(1/trials), about 3/trials.
    /// </summary>
    public static double UpperBound95(int errors, int trials) =>
        errors >= trials ? 1 : Beta.InvCDF(errors + 1, trials - errors, 0.95);

    /// <summary>Index of the first value ≥ <paramref name="value"/> in a sorted array.</summary>
    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
