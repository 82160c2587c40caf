namespace IdVerify.Core.Models;

/// <summary>A threshold measured for one false-match-rate target on a named data set.</summary>
public sealed record CalibrationPoint(double Fmr, double Threshold, int Pairs, int Impostors, string Dataset);
