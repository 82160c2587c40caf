using System.ComponentModel;
using System.Globalization;
using IdVerify.Cli.Bench;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Size = SixLabors.ImageSharp.Size;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Measures verify latency per stage and throughput per concurrency level, in process (the Core pipeline, SQLite
/// store included) or against a running service over HTTP, optionally beside an OpenCV reference pipeline.
/// </summary>
public sealed class BenchCommand(CoreHost host) : AsyncCommand<BenchCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--photos <DIR>")]
        [Description("Folder of photos (default: the labelled bona fide photos of ../shared/faces).")]
        public string? Photos { get; init; }

        [CommandOption("--frame <WxH>")]
        [Description("Re-encode every photo as a JPEG of this size (cover and centre crop), like a kiosk camera frame; 'original' keeps them.")]
        public string Frame { get; init; } = "640x480";

        [CommandOption("--requests <N>")]
        [Description("Verify requests per concurrency level (default 200).")]
        public int Requests { get; init; } = 200;

        [CommandOption("--concurrency <LIST>")]
        [Description("Comma-separated concurrency levels (default 1,2,4).")]
        public string Concurrency { get; init; } = "1,2,4";

        [CommandOption("--warmup <N>")]
        public int WarmUp { get; init; } = 20;

        [CommandOption("--url <URL>")]
        [Description("Benchmark a running service over HTTP instead of in process.")]
        public string? Url { get; init; }

        [CommandOption("--api-key <KEY>")]
        [Description("With --url: an API key with the enroll and verify scopes (default: $IDVERIFY_API_KEY).")]
        public string? ApiKey { get; init; }

        [CommandOption("--threads <N>")]
        [Description("ONNX Runtime intra-op threads for in-process runs (default 1, the service's).")]
        public int Threads { get; init; } = 1;

        [CommandOption("--solo-detector-threads <N>")]
        [Description("Threads the detector and the landmark model get for a request alone (Inference:SoloDetectorThreads; 0 every core, 1 no second sessions).")]
        public int? SoloDetectorThreads { get; init; }

        [CommandOption("--sequential")]
        [Description("Never run liveness beside the embedder (Inference:ParallelStages=false).")]
        public bool Sequential { get; init; }

        /// <summary>The in-process run's session settings, over the service's configuration.</summary>
        public override Dictionary<string, string?> Overrides()
        {
            var overrides = base.Overrides();
            overrides["Inference:IntraOpThreads"] = Threads.ToString(CultureInfo.InvariantCulture);
            if (SoloDetectorThreads is { } solo)
            {
                overrides["Inference:SoloDetectorThreads"] = solo.ToString(CultureInfo.InvariantCulture);
            }

            if (Sequential)
            {
                overrides["Inference:ParallelStages"] = "false";
            }

            return overrides;
        }

        [CommandOption("--compare-opencv")]
        [Description("Also run every photo through an OpenCV reference pipeline (same models), interleaved, and print per-stage ratios.")]
        public bool CompareOpenCv { get; init; }

        [CommandOption("--out <FILE>")]
        public string? Output { get; init; }

        /// <summary>The frame size photos are re-encoded at; null for 'original'.</summary>
        public Size? FrameSize() => Frame == "original" ? null : ParseFrame(Frame);

        public int[] ConcurrencyLevels() => ParseLevels(Concurrency)!;

        public override ValidationResult Validate()
        {
            if (Frame != "original" && ParseFrame(Frame) is null)
            {
                return ValidationResult.Error($"--frame must be WIDTHxHEIGHT (such as 640x480) or 'original', not '{Frame}'.");
            }

            if (ParseLevels(Concurrency) is null)
            {
                return ValidationResult.Error($"--concurrency must be positive whole numbers separated by commas (such as 1,2,4), not '{Concurrency}'.");
            }

            if (Requests < 1 || WarmUp < 0 || Threads < 1 || SoloDetectorThreads < 0)
            {
                return ValidationResult.Error(
                    $"--requests and --threads must be at least 1, --warmup and --solo-detector-threads at least 0 (got {Requests}, {Threads}, {WarmUp}, {SoloDetectorThreads}).");
            }

            return Url is null || (Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                ? ValidationResult.Success()
                : ValidationResult.Error($"--url must be an absolute http:// or https:// address, not '{Url}'.");
        }

        private static Size? ParseFrame(string frame) =>
            frame.Split('x') is [var w, var h] && int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var width)
                && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var height) && width > 0 && height > 0
                ? new Size(width, height)
                : null;

        private static int[]? ParseLevels(string list)
        {
            var levels = list.Split(',', StringSplitOptions.TrimEntries)
                .Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0)
                .ToArray();
            return levels.Length > 0 && levels.All(n => n > 0) ? levels : null;
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.CompareOpenCv)
        {
            OpenCvComparison.EnsureAvailable();
            using var core = settings.StartCore(host);
            var catalog = core.GetRequiredService<ModelCatalog>();
            var manifest = catalog.LoadManifest();
            OpenCvComparison.EnsureSameDetector(manifest.Get(catalog.ConfiguredBundle(manifest).DetectorId, ModelRoles.Detector));
        }

        var locations = settings.Locations();
        var photos = BenchPhotoSet.Load(settings.Photos, settings.FacesFolder(locations), settings.FrameSize());
        var levels = settings.ConcurrencyLevels();
        AnsiConsole.MarkupLineInterpolated($"{photos.Count} photos ({settings.Frame}); {settings.Requests} requests per level; concurrency {string.Join(", ", levels)}.");

        var report = settings.Url is { } url
            ? await HttpTarget.RunAsync(settings, new Uri(url), photos, levels, cancellationToken)
            : await InProcessTarget.RunAsync(host, settings, photos, levels, cancellationToken);

        BenchReportOutput.Print(report);
        var output = await BenchReportOutput.WriteAsync(report, settings.Output, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Wrote {output}");
        return 0;
    }
}
