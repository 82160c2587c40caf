namespace IdVerify.Core.Models;

/// <summary>
/// A threshold measured for one false-match-rate target on a named data set. Written by <c>eval --calibrate</c>: the
/// strictest over every source and identity fold, chosen so the 95% Clopper–Pearson upper bound of the FMR on the
/// calibrating fold (<see cref="Impostors"/> pairs, <see cref="FalseMatches"/> at or above the threshold) is within the
/// target, and checked on the held-out fold (identities the calibration never saw).
/// </summary>
public sealed record CalibrationPoint(
    double Fmr,
    double Threshold,
    int Pairs,
    int Impostors,
    string Dataset,
    string? Detector = null,
    long? FalseMatches = null,
    double? FmrUpperBound95 = null,
    string? Split = null,
    int? HeldOutImpostors = null,
    long? HeldOutFalseMatches = null,
    double? HeldOutFmrUpperBound95 = null);
