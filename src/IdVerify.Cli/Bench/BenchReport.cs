namespace IdVerify.Cli.Bench;

/// <summary>Everything one bench run measured; written as JSON by <see cref="BenchReportOutput"/>.</summary>
public sealed record BenchReport(
    string Mode,
    MachineInfo Machine,
    string Models,
    string ExecutionProvider,
    string JpegDecoder,
    int IntraOpThreads,
    int? SoloDetectorThreads,
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
