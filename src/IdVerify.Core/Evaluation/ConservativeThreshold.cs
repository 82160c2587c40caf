namespace IdVerify.Core.Evaluation;

/// <summary>A threshold chosen so that the 95% upper confidence bound of its FMR, not the point estimate, is within the target.</summary>
public sealed record ConservativeThreshold(double FmrTarget, double Threshold, int Impostors, long FalseMatches, double FmrUpperBound95)
{
    /// <summary>
    /// The lowest threshold (rounded up to 4 decimals) whose false matches k among the impostors keep the one-sided
    /// 95% Clopper–Pearson bound on the FMR at or below the target; null when even k = 0 cannot (fewer than about
    /// 3/target impostors).
    /// </summary>
    public static ConservativeThreshold? Choose(PairScores scores, double fmrTarget)
    {
        var impostors = scores.ImpostorsDescending;
        var n = impostors.Length;
        if (n == 0 || ScoreStatistics.UpperBound95(0, n) > fmrTarget)
        {
            return null;
        }

        // The bound grows with k: binary search the largest k that keeps it within the target.
        int lo = 0, hi = n - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (ScoreStatistics.UpperBound95(mid, n) <= fmrTarget)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        // Just above the (k+1)-th highest impostor: at most k at or above it, fewer after rounding up.
        var threshold = Math.Ceiling((impostors[lo] + 1e-6) * 10_000) / 10_000;
        var falseMatches = scores.FalseMatches(threshold);
        return new ConservativeThreshold(fmrTarget, threshold, n, falseMatches, ScoreStatistics.UpperBound95((int)falseMatches, n));
    }
}
