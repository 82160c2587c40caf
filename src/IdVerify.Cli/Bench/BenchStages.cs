namespace IdVerify.Cli.Bench;

/// <summary>The stages every verify reports a time for, in pipeline order (HTTP runs add "round trip").</summary>
internal static class BenchStages
{
    public static readonly string[] Names = ["decode", "detect", "align", "embed", "liveness", "match", "total"];
}
