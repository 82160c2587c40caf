namespace IdVerify.Cli.Bench;

/// <summary>Latency percentiles of one stage, in milliseconds.</summary>
public sealed record Percentiles(double P50, double P95, double P99, double Max, int Count)
{
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0);
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Percentiles(Math.Round(At(0.50), 2), Math.Round(At(0.95), 2), Math.Round(At(0.99), 2), Math.Round(sorted[^1], 2), sorted.Length);
    }
}

/// <summary>One concurrency level's results: stages by name, throughput and failures.</summary>
public sealed record LevelResult(
    int Concurrency,
    int Requests,
    int Failed,
    double Seconds,
    double RequestsPerSecond,
    IReadOnlyDictionary<string, Percentiles> Stages,
    IReadOnlyDictionary<string, int> Failures);

public sealed record MachineInfo(string Cpu, int Cores, string Architecture, string Runtime, string Os)
{
    public static MachineInfo Current()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new MachineInfo(cpu ?? "unknown", Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(),
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }
}

public sealed record BenchReport(
    string Mode,
    MachineInfo Machine,
    string Models,
    string ExecutionProvider,
    int IntraOpThreads,
    int Photos,
    string Frame,
    double ModelLoadMs,
    double WarmUpMs,
    long WorkingSetAfterWarmUpBytes,
    long WorkingSetAtEndBytes,
    long PeakWorkingSetBytes,
    IReadOnlyList<LevelResult> Levels,
    IReadOnlyDictionary<string, double>? OpenCvRatios,
    IReadOnlyDictionary<string, Percentiles>? OpenCvStages);
