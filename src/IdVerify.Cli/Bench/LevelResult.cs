namespace IdVerify.Cli.Bench;

/// <summary>One concurrency level's results: stages by name, throughput and failures.</summary>
/// <param name="CpuMsPerRequest">this process's CPU time over the level per verify: the whole verify in process, only the client over HTTP.</param>
public sealed record LevelResult(
    int Concurrency,
    int Requests,
    int Failed,
    double Seconds,
    double RequestsPerSecond,
    IReadOnlyDictionary<string, Percentiles> Stages,
    IReadOnlyDictionary<string, int> Failures,
    double CpuMsPerRequest);
