namespace IdVerify.Cli.Bench;

/// <summary>One concurrency level's results: stages by name, throughput and failures.</summary>
public sealed record LevelResult(
    int Concurrency,
    int Requests,
    int Failed,
    double Seconds,
    double RequestsPerSecond,
    IReadOnlyDictionary<string, Percentiles> Stages,
    IReadOnlyDictionary<string, int> Failures);
