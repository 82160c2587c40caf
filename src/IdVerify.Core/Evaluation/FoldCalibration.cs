namespace IdVerify.Core.Evaluation;

/// <summary>
/// One fold of one source: the threshold calibrated on the fold's identities (null when they cannot support the
/// target), and what it let through on the other fold's identities, which the calibration never saw. Fold
/// <see cref="HeldOutCalibration.WholeSource"/> is calibrated on all the source's pairs and has nothing held out.
/// </summary>
public sealed record FoldCalibration(
    string Source,
    int Fold,
    double FmrTarget,
    ConservativeThreshold? Calibrated,
    int HeldOutImpostors,
    long HeldOutFalseMatches,
    double HeldOutFmrUpperBound95)
{
    public double HeldOutFmr => HeldOutImpostors == 0 ? 0 : HeldOutFalseMatches / (double)HeldOutImpostors;
}
