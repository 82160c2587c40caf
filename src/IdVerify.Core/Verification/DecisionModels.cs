namespace IdVerify.Core.Verification;

/// <summary>The models a decision was made with, as recorded in its audit record.</summary>
public sealed record DecisionModels(string Detector, string Embedder, string Liveness);
