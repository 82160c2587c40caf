namespace IdVerify.Core.Evaluation;

/// <summary>Two photos to compare, and whether they show the same person.</summary>
public sealed record ScorePair(string PathA, string PathB, bool Genuine);
