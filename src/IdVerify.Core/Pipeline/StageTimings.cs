namespace IdVerify.Core.Pipeline;

/// <summary>Milliseconds spent in each stage of one request.</summary>
public sealed record StageTimings(double Decode, double Detect, double Align, double Embed, double Liveness, double Match, double Total);
