namespace IdVerify.Core.Evaluation;

/// <summary>One operating point: the threshold that keeps false matches at or under a target rate.</summary>
public sealed record OperatingPoint(
    double FmrTarget,
    double Threshold,
    double Fnmr,
    int FalseMatches,
    double MeasuredFmr,
    bool Supported,
    double FmrUpperBound95);
