namespace IdVerify.Cli.Bench;

/// <summary>The stages every verify reports a time for, in pipeline order (HTTP runs add "round trip").</summary>
internal static class BenchStages
{
    public static readonly string[] Names = ["decode", "detect", "align", "embed", "liveness", "match", "total"];

    /// <summary>
    /// What an in-process verify spends outside the face pipeline: reading the subject's templates and attempt count,
    /// writing the decision and the attempt (the service reports no such stage; its total starts after the reads).
    /// </summary>
    public const string Store = "store";

    /// <summary>The table's column order.</summary>
    public static readonly string[] Columns = ["decode", "detect", "align", "embed", "liveness", "match", Store, "total", "round trip"];
}
