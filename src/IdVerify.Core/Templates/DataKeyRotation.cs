namespace IdVerify.Core.Templates;

/// <summary>What a data key rotation re-sealed.</summary>
/// <param name="CropsDropped">face crops from before rows were sealed, which no data key opens.</param>
public sealed record DataKeyRotation(int Rows, int CropsDropped);
