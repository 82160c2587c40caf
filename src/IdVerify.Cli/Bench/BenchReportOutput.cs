using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace IdVerify.Cli.Bench;

/// <summary>The bench's tables on the console and its report as JSON.</summary>
internal static class BenchReportOutput
{
    public static void Print(BenchReport r)
    {
        var solo = r.SoloDetectorThreads is { } threads ? $" ({threads} for the detector and landmarks of a request alone)" : "";
        AnsiConsole.MarkupLineInterpolated(
            $"{r.Mode} on {r.Machine.Cpu} ({r.Machine.Cores} cores, {r.Machine.Architecture}, {r.Machine.Runtime}); {r.Models}; provider {r.ExecutionProvider}, JPEG {r.JpegDecoder}, intra-op threads {r.IntraOpThreads}{solo}");
        if (r.Mode == "in-process")
        {
            AnsiConsole.MarkupLineInterpolated(
                $"model load {r.ModelLoadMs:F0} ms (warm-up {r.WarmUpMs:F0} ms); working set after warm-up {r.WorkingSetAfterWarmUpBytes / 1048576.0:F0} MB, at end {r.WorkingSetAtEndBytes / 1048576.0:F0} MB, peak {r.PeakWorkingSetBytes / 1048576.0:F0} MB");
        }

        var stages = r.Levels.SelectMany(l => l.Stages.Keys).Distinct().OrderBy(s => Array.IndexOf(BenchStages.Columns, s)).ToList();
        var table = new Table().AddColumns("concurrency", "req/s", "failed").AddColumns(stages.Select(s => $"{s} p50/p95/p99/max").ToArray());
        foreach (var level in r.Levels)
        {
            table.AddRow([$"{level.Concurrency}", F(level.RequestsPerSecond), $"{level.Failed}",
                .. stages.Select(s => level.Stages.TryGetValue(s, out var p) ? $"{F(p.P50)}/{F(p.P95)}/{F(p.P99)}/{F(p.Max)}" : "")]);
        }

        AnsiConsole.Write(table);
        if (r.Levels.Count > 1)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"throughput at concurrency {r.Levels[^1].Concurrency} / {r.Levels[0].Concurrency}: {r.Levels[^1].RequestsPerSecond / r.Levels[0].RequestsPerSecond:F2}×");
        }

        if (r.Mode == "in-process")
        {
            // No level can serve more than every core's time over one verify's CPU time; the first level's latency
            // against that ceiling bounds how much concurrency can add.
            var first = r.Levels[0];
            var ceiling = 1000.0 * r.Machine.Cores / r.Levels.Min(l => l.CpuMsPerRequest);
            AnsiConsole.MarkupLineInterpolated(
                $"CPU per verify {string.Join(" / ", r.Levels.Select(l => F(l.CpuMsPerRequest)))} ms: at most {ceiling:F0} req/s on {r.Machine.Cores} cores, {ceiling / first.RequestsPerSecond:F2}× concurrency {first.Concurrency}'s throughput");
        }
    }

    public static void PrintOpenCvComparison(IReadOnlyDictionary<string, Percentiles> cv, IReadOnlyDictionary<string, Percentiles> mine,
        IReadOnlyDictionary<string, double> ratios)
    {
        var table = new Table().Title("OpenCV reference vs IdVerify (same models, same photos, interleaved; p50 ms)")
            .AddColumns("stage", "OpenCV", "IdVerify", "OpenCV / IdVerify");
        foreach (var stage in cv.Keys)
        {
            table.AddRow(stage, F(cv[stage].P50), F(mine[stage].P50), F(ratios[stage]) + "×");
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Writes the report to <paramref name="output"/>, or to artifacts/bench/bench-MODE-TIME.json; returns the path.</summary>
    public static async Task<string> WriteAsync(BenchReport report, string? output, CancellationToken cancellationToken)
    {
        var path = output ?? Path.Combine("artifacts", "bench", $"bench-{report.Mode}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        return path;
    }

    private static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
