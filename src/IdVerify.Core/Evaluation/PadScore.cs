namespace IdVerify.Core.Evaluation;

/// <summary>The fused liveness score of one capture, or why it has none.</summary>
public sealed record PadScore(string Path, bool Attack, string AttackType, float? Score, string? Reason);
