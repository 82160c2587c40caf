namespace IdVerify.Core.Evaluation;

/// <summary>A source's error rates at a shipped threshold, over all its pairs (both folds; cross-fold pairs included).</summary>
public sealed record SourceAtThreshold(
    string Source,
    double FmrTarget,
    double Threshold,
    int Genuine,
    long FalseNonMatches,
    int Impostors,
    long FalseMatches)
{
    public double Fnmr => Genuine == 0 ? 0 : FalseNonMatches / (double)Genuine;

    public double Fmr => Impostors == 0 ? 0 : FalseMatches / (double)Impostors;
}
