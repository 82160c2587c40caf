using System.Diagnostics;
using IdVerify.Cli.Commands;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace IdVerify.Cli.Bench;

/// <summary>
/// What an in-process bench measures: the service's face services (its registration and configuration) with a SQLite store
/// in a temporary folder, model load and memory included, optionally beside the OpenCV reference pipeline.
/// </summary>
internal static class InProcessTarget
{
    public static async Task<BenchReport> RunAsync(CoreHost host, BenchCommand.Settings settings, List<byte[]> photos, int[] levels,
        CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("idverify-bench-");
        try
        {
            // The service's own registration and configuration, on a SQLite file of the bench's own.
            var overrides = settings.Overrides();
            overrides["Storage:SqlitePath"] = Path.Combine(directory.FullName, "bench.db");
            using var core = host.Start(settings.ConfigFile, overrides);
            var factory = core.GetRequiredService<FaceServicesFactory>();
            var catalog = factory.Catalog;
            var manifest = catalog.LoadManifest();
            var bundle = catalog.ConfiguredBundle(manifest);
            var load = Stopwatch.StartNew();
            using var services = await factory.BuildAsync(manifest, bundle, cancellationToken);
            var loadMs = load.Elapsed.TotalMilliseconds;
            var pipeline = services.Pipeline;
            var locations = catalog.Locations;

            // Only photos with one usable face: the bench measures verifies, not refusals.
            photos = photos.Where(p => Usable(pipeline, p)).ToList();
            AnsiConsole.MarkupLineInterpolated($"{photos.Count} photos hold one usable face.");

            var service = services.Verification;
            var subjects = await LoadRunner.EnrollEachAsync(photos, (subject, photo) =>
                services.Enrollment.EnrollAsync(subject, [photo], replace: false, cancellationToken: cancellationToken));
            AnsiConsole.MarkupLineInterpolated($"{subjects.Count} photos enrolled, one subject each; every verify is a genuine one.");

            async Task<Dictionary<string, double>> Verify(BenchSubject subject)
            {
                var clock = Stopwatch.StartNew();
                var result = await service.VerifyAsync(subject.SubjectId, subject.Photo, cancellationToken: cancellationToken);
                var total = clock.Elapsed.TotalMilliseconds;
                var t = result.Timings;
                return new Dictionary<string, double>
                {
                    ["decode"] = t.Decode,
                    ["detect"] = t.Detect,
                    ["align"] = t.Align,
                    ["embed"] = t.Embed,
                    ["liveness"] = t.Liveness,
                    ["match"] = t.Match,
                    [BenchStages.Store] = total - t.Total,
                    ["total"] = total,
                };
            }

            for (var i = 0; i < settings.WarmUp; i++)
            {
                await Verify(subjects[i % subjects.Count]);
            }

            GC.Collect();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            var afterWarmUp = self.WorkingSet64;
            var results = new List<LevelResult>();
            foreach (var level in levels)
            {
                results.Add(await LoadRunner.RunLevelAsync(level, settings.Requests, subjects, Verify));
            }

            IReadOnlyDictionary<string, Percentiles>? openCvStages = null;
            IReadOnlyDictionary<string, double>? ratios = null;
            if (settings.CompareOpenCv)
            {
                (openCvStages, ratios) = OpenCvComparison.Run(settings, manifest, bundle, locations, pipeline, photos);
            }

            self.Refresh();
            return new BenchReport("in-process", MachineInfo.Current(), Describe(bundle), pipeline.Provider.Actual, pipeline.Decoder.JpegDecoder, settings.Threads,
                pipeline.Provider.Actual == "cpu" ? pipeline.Options.Inference.SoloDetectorThreadCount() : null, photos.Count,
                settings.Frame, Math.Round(loadMs, 1), Math.Round(pipeline.WarmUpTime.TotalMilliseconds, 1), afterWarmUp, self.WorkingSet64,
                self.PeakWorkingSet64, results, ratios, openCvStages);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
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

    private static string Describe(ModelBundle bundle) => $"{bundle.DetectorId} + {bundle.EmbedderId} + {string.Join("+", bundle.LivenessIds)}";
}
