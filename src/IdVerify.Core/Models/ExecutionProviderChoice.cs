namespace IdVerify.Core.Models;

/// <summary>The execution provider a bundle's sessions really run on, and why it differs from the one asked for.</summary>
public sealed record ExecutionProviderChoice(string Requested, string Actual, string? FallbackReason);
