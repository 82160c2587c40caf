namespace IdVerify.Core.Evaluation;

/// <summary>One acquired photo of a calibration source: who it is (source-qualified identity) and its embedding.</summary>
public sealed record CalibrationFace(string Path, string IdentityKey, float[] Embedding);
