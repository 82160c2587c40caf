namespace IdVerify.Core.Evaluation;

/// <summary>A labelled capture for presentation-attack detection (PAD) testing.</summary>
public sealed record PadSample(string Path, bool Attack, string AttackType);
