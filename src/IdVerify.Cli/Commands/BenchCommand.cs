using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using IdVerify.Cli.Bench;
using IdVerify.Core;
using IdVerify.Core.Detection;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Spectre.Console;
using Size = SixLabors.ImageSharp.Size;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Measures verify latency per stage and throughput per concurrency level, in process (the Core pipeline, SQLite
/// store included) or against a running service over HTTP, optionally beside an OpenCV reference pipeline.
/// </summary>
public sealed class BenchCommand : AsyncCommand<BenchCommand.Settings>
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

        [CommandOption("--threads <N>")]
        [Description("ONNX Runtime intra-op threads for in-process runs (default 1, the service's).")]
        public int Threads { get; init; } = 1;

        [CommandOption("--sequential")]
        [Description("Never run liveness beside the embedder (Inference:ParallelStages=false).")]
        public bool Sequential { get; init; }

        [CommandOption("--compare-opencv")]
        [Description("Also run every photo through an OpenCV reference pipeline (same models), interleaved, and print per-stage ratios.")]
        public bool CompareOpenCv { get; init; }

        [CommandOption("--out <FILE>")]
        public string? Output { get; init; }
    }

    private static readonly string[] StageNames = ["decode", "detect", "align", "embed", "liveness", "match", "total"];

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var locations = settings.Locations();
        var photos = LoadPhotos(settings, locations);
        var levels = settings.Concurrency.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        AnsiConsole.MarkupLineInterpolated($"{photos.Count} photos ({settings.Frame}); {settings.Requests} requests per level; concurrency {string.Join(", ", levels)}.");

        var report = settings.Url is { } url
            ? await RunHttpAsync(settings, new Uri(url), photos, levels, cancellationToken)
            : await RunInProcessAsync(settings, locations, photos, levels, cancellationToken);

        Print(report);
        var output = settings.Output ?? Path.Combine("artifacts", "bench", $"bench-{report.Mode}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Wrote {output}");
        return 0;
    }

    private static async Task<BenchReport> RunInProcessAsync(Settings settings, ModelLocations locations, List<byte[]> photos, int[] levels,
        CancellationToken cancellationToken)
    {
        var manifest = locations.LoadManifest();
        var bundle = ActiveBundleFile.Load(locations.ActiveFile) ?? ModelBundle.DefaultOf(manifest);
        var options = new PipelineOptions { Inference = new InferenceOptions { IntraOpThreads = settings.Threads }, ParallelStages = !settings.Sequential };
        var load = Stopwatch.StartNew();
        using var pipeline = await FacePipeline.CreateAsync(manifest, new ModelStore(locations), bundle, options, cancellationToken);
        var loadMs = load.Elapsed.TotalMilliseconds;

        // Only photos with one usable face: the bench measures verifies, not refusals.
        photos = photos.Where(p => Usable(pipeline, p)).ToList();
        AnsiConsole.MarkupLineInterpolated($"{photos.Count} photos hold one usable face.");

        var directory = Directory.CreateTempSubdirectory("idverify-bench-");
        try
        {
            var database = new SqliteDatabase(Path.Combine(directory.FullName, "bench.db"));
            var service = new VerificationService(pipeline, new SqliteTemplateStore(database), new SqliteDecisionLog(database),
                MatchPolicy.For(pipeline.Embedder.Model, 1e-3), new EnrollmentOptions(), QualityPolicy.Default, new SqliteChallengeStore(database),
                new ChallengeVerifier(new ChallengeOptions()), TimeProvider.System);
            var subject = await EnrollFirstAsync(photos, p => service.EnrollAsync("bench", [p], replace: true, cancellationToken));

            async Task<Dictionary<string, double>> Verify(byte[] photo)
            {
                var clock = Stopwatch.StartNew();
                var result = await service.VerifyAsync(subject, photo, cancellationToken: cancellationToken);
                var t = result.Timings;
                return new Dictionary<string, double>
                {
                    ["decode"] = t.Decode, ["detect"] = t.Detect, ["align"] = t.Align, ["embed"] = t.Embed, ["liveness"] = t.Liveness,
                    ["match"] = t.Match, ["total"] = clock.Elapsed.TotalMilliseconds,
                };
            }

            for (var i = 0; i < settings.WarmUp; i++)
            {
                await Verify(photos[i % photos.Count]);
            }

            GC.Collect();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            var afterWarmUp = self.WorkingSet64;
            var results = new List<LevelResult>();
            foreach (var level in levels)
            {
                results.Add(await RunLevelAsync(level, settings.Requests, photos, Verify));
            }

            IReadOnlyDictionary<string, Percentiles>? openCvStages = null;
            IReadOnlyDictionary<string, double>? ratios = null;
            if (settings.CompareOpenCv)
            {
                (openCvStages, ratios) = CompareOpenCv(settings, manifest, bundle, locations, pipeline, photos);
            }

            self.Refresh();
            return new BenchReport("in-process", MachineInfo.Current(), Describe(bundle), pipeline.Provider.Actual, settings.Threads, photos.Count,
                settings.Frame, Math.Round(loadMs, 1), Math.Round(pipeline.WarmUpTime.TotalMilliseconds, 1), afterWarmUp, self.WorkingSet64,
                self.PeakWorkingSet64, results, ratios, openCvStages);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<BenchReport> RunHttpAsync(Settings settings, Uri url, List<byte[]> photos, int[] levels, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        MultipartFormDataContent Form(string subject, byte[] photo)
        {
            var image = new ByteArrayContent(photo);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            return new MultipartFormDataContent { { new StringContent(subject), "subjectId" }, { image, "image", "frame.jpg" } };
        }

        var subject = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await EnrollFirstAsync(photos, async p =>
        {
            using var response = await client.PostAsync("/v1/enroll?replace=true", Form(subject, p), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
                throw new IdVerifyException(problem.GetProperty("code").GetString()!, problem.GetProperty("detail").GetString()!);
            }

            return null!;
        });

        async Task<Dictionary<string, double>> Verify(byte[] photo)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsync("/v1/verify", Form(subject, photo), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var roundTrip = clock.Elapsed.TotalMilliseconds;
            var json = JsonDocument.Parse(body).RootElement;
            if (!response.IsSuccessStatusCode)
            {
                throw new IdVerifyException(json.GetProperty("code").GetString()!, json.GetProperty("detail").GetString()!);
            }

            var stages = StageNames.ToDictionary(s => s, s => json.GetProperty("timingsMs").GetProperty(s).GetDouble());
            stages["round trip"] = roundTrip;
            return stages;
        }

        // The warm-up pass also drops photos the service refuses (no usable face): the bench measures verifies.
        var usable = new List<byte[]>();
        foreach (var photo in photos)
        {
            try
            {
                await Verify(photo);
                usable.Add(photo);
            }
            catch (IdVerifyException)
            {
            }
        }

        photos = usable;
        AnsiConsole.MarkupLineInterpolated($"{photos.Count} photos hold one usable face.");
        for (var i = 0; i < settings.WarmUp; i++)
        {
            await Verify(photos[i % photos.Count]);
        }

        var results = new List<LevelResult>();
        foreach (var level in levels)
        {
            results.Add(await RunLevelAsync(level, settings.Requests, photos, Verify));
        }

        return new BenchReport("http", MachineInfo.Current(), url.ToString(), "(server)", 0, photos.Count, settings.Frame, 0, 0, 0, 0, 0, results, null, null);
    }

    private static async Task<LevelResult> RunLevelAsync(int concurrency, int requests, List<byte[]> photos,
        Func<byte[], Task<Dictionary<string, double>>> verify)
    {
        var samples = new ConcurrentBag<Dictionary<string, double>>();
        var failures = new ConcurrentDictionary<string, int>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"concurrency {concurrency}", maxValue: requests);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests)
                {
                    try
                    {
                        samples.Add(await verify(photos[i % photos.Count]));
                    }
                    catch (IdVerifyException ex)
                    {
                        failures.AddOrUpdate(ex.Code, 1, (_, n) => n + 1);
                    }

                    task.Increment(1);
                }
            })));
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var stages = samples.SelectMany(s => s.Keys).Distinct()
            .ToDictionary(k => k, k => Percentiles.Of(samples.Select(s => s[k])));
        return new LevelResult(concurrency, requests, failures.Values.Sum(), Math.Round(seconds, 2), Math.Round(samples.Count / seconds, 1), stages, failures);
    }

    private static (IReadOnlyDictionary<string, Percentiles>, IReadOnlyDictionary<string, double>) CompareOpenCv(Settings settings,
        ModelManifest manifest, ModelBundle bundle, ModelLocations locations, FacePipeline pipeline, List<byte[]> photos)
    {
        using var reference = new OpenCvReferencePipeline(new ModelStore(locations), manifest.Get(bundle.DetectorId, ModelRoles.Detector),
            manifest.Get(bundle.EmbedderId, ModelRoles.Embedder), bundle.LivenessIds.Select(id => manifest.Get(id, ModelRoles.Liveness)).ToList(),
            new DetectorOptions().MaxSide);
        var ours = new List<StageTimings>();
        var theirs = new List<OpenCvReferencePipeline.Timings>();
        photos = photos.Where(p =>
        {
            try
            {
                reference.Run(p);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }).ToList();

        // Interleaved, alternating which goes first, so drift and cache effects fall on both alike.
        for (var i = 0; i < settings.Requests; i++)
        {
            var photo = photos[i % photos.Count];
            if (i % 2 == 0)
            {
                ours.Add(pipeline.Analyze(photo).Timings);
                theirs.Add(reference.Run(photo));
            }
            else
            {
                theirs.Add(reference.Run(photo));
                ours.Add(pipeline.Analyze(photo).Timings);
            }
        }

        var cv = new Dictionary<string, Percentiles>
        {
            ["decode"] = Percentiles.Of(theirs.Select(t => t.Decode)),
            ["detect"] = Percentiles.Of(theirs.Select(t => t.Detect)),
            ["align"] = Percentiles.Of(theirs.Select(t => t.Align)),
            ["embed"] = Percentiles.Of(theirs.Select(t => t.Embed)),
            ["liveness"] = Percentiles.Of(theirs.Select(t => t.Liveness)),
            ["total"] = Percentiles.Of(theirs.Select(t => t.Total)),
        };
        var mine = new Dictionary<string, Percentiles>
        {
            ["decode"] = Percentiles.Of(ours.Select(t => t.Decode)),
            ["detect"] = Percentiles.Of(ours.Select(t => t.Detect)),
            ["align"] = Percentiles.Of(ours.Select(t => t.Align)),
            ["embed"] = Percentiles.Of(ours.Select(t => t.Embed)),
            ["liveness"] = Percentiles.Of(ours.Select(t => t.Liveness)),
            ["total"] = Percentiles.Of(ours.Select(t => t.Total)),
        };
        var ratios = cv.Keys.ToDictionary(k => k, k => Math.Round(cv[k].P50 / Math.Max(0.01, mine[k].P50), 2));
        var table = new Table().Title("OpenCV reference vs IdVerify (same models, same photos, interleaved; p50 ms)")
            .AddColumns("stage", "OpenCV", "IdVerify", "OpenCV / IdVerify");
        foreach (var stage in cv.Keys)
        {
            table.AddRow(stage, F(cv[stage].P50), F(mine[stage].P50), F(ratios[stage]) + "×");
        }

        AnsiConsole.Write(table);
        return (cv, ratios);
    }

    private static bool Usable(FacePipeline pipeline, byte[] photo)
    {
        try
        {
            pipeline.Analyze(photo);
            return true;
        }
        catch (IdVerifyException)
        {
            return false;
        }
    }

    private static async Task<string> EnrollFirstAsync(List<byte[]> photos, Func<byte[], Task<EnrollmentResult>> enroll)
    {
        foreach (var photo in photos)
        {
            try
            {
                await enroll(photo);
                return "bench";
            }
            catch (IdVerifyException)
            {
                // Not every photo makes an enrollable template; the first that does is the subject.
            }
        }

        throw new IdVerifyException(ErrorCodes.NoFace, "No photo could be enrolled as the benchmark subject.");
    }

    private static List<byte[]> LoadPhotos(Settings settings, ModelLocations locations)
    {
        IEnumerable<string> files;
        if (settings.Photos is { } folder)
        {
            files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
                            || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            var faces = settings.FacesFolder(locations);
            files = File.ReadLines(Path.Combine(faces, "labels.csv")).Skip(1).Select(l => l.Split(','))
                .Where(f => f.Length >= 4 && f[2].Length > 0 && f[3].Trim() == "bonafide")
                .Select(f => Path.Combine(faces, f[0], f[1]));
        }

        var frame = settings.Frame == "original" ? (Size?)null
            : new Size(int.Parse(settings.Frame.Split('x')[0], CultureInfo.InvariantCulture), int.Parse(settings.Frame.Split('x')[1], CultureInfo.InvariantCulture));
        var photos = files.Order(StringComparer.Ordinal).Select(f => frame is { } size ? AsFrame(f, size) : File.ReadAllBytes(f)).ToList();
        return photos.Count > 0 ? photos : throw new IdVerifyException(ErrorCodes.ImageMissing, "No photos to benchmark.");
    }

    private static byte[] AsFrame(string path, Size size)
    {
        using var image = Image.Load<Rgb24>(path);
        image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Size = size, Mode = ResizeMode.Crop }));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    private static string Describe(ModelBundle bundle) => $"{bundle.DetectorId} + {bundle.EmbedderId} + {string.Join("+", bundle.LivenessIds)}";

    private static void Print(BenchReport r)
    {
        AnsiConsole.MarkupLineInterpolated(
            $"{r.Mode} on {r.Machine.Cpu} ({r.Machine.Cores} cores, {r.Machine.Architecture}, {r.Machine.Runtime}); {r.Models}; provider {r.ExecutionProvider}, intra-op threads {r.IntraOpThreads}");
        if (r.Mode == "in-process")
        {
            AnsiConsole.MarkupLineInterpolated(
                $"model load {r.ModelLoadMs:F0} ms (warm-up {r.WarmUpMs:F0} ms); working set after warm-up {r.WorkingSetAfterWarmUpBytes / 1048576.0:F0} MB, at end {r.WorkingSetAtEndBytes / 1048576.0:F0} MB, peak {r.PeakWorkingSetBytes / 1048576.0:F0} MB");
        }

        var stages = r.Levels.SelectMany(l => l.Stages.Keys).Distinct().OrderBy(s => Array.IndexOf([.. StageNames, "round trip"], s)).ToList();
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
    }

    private static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
