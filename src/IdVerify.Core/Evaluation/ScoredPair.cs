namespace IdVerify.Core.Evaluation;

/// <summary>A compared pair and its cosine score.</summary>
public sealed record ScoredPair(string PathA, string PathB, double Score);
