namespace IdVerify.Core.Evaluation;

/// <summary>A photo the pipeline made no embedding of, with the error code it gave.</summary>
public sealed record FailureToAcquire(string Path, string Code);
