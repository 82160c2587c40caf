namespace IdVerify.Core.Evaluation;

/// <summary>The threshold shipped for a target: the strictest over every source and fold that supports it, and which one decided.</summary>
public sealed record ShippedThreshold(double FmrTarget, FoldCalibration Deciding, int SupportingFolds, int Folds)
{
    public double Threshold => Deciding.Calibrated!.Threshold;
}
