using System.Diagnostics;
using IdVerify.Cli.Commands;
using IdVerify.Core;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;
using Spectre.Console;

namespace IdVerify.Cli.Bench;

/// <summary>
/// What an in-process bench measures: the Core pipeline behind a <see cref="VerificationService"/> with a SQLite store
/// in a temporary folder, model load and memory included, optionally beside the OpenCV reference pipeline.
/// </summary>
internal static class InProcessTarget
{
    public static async Task<BenchReport> RunAsync(BenchCommand.Settings settings, ModelLocations locations, List<byte[]> photos, int[] levels,
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
            var store = new SqliteTemplateStore(Path.Combine(directory.FullName, "bench.db"));
            var service = new VerificationService(pipeline, store, MatchPolicy.For(pipeline.Embedder.Model, 1e-3), new EnrollmentOptions(),
                QualityPolicy.Default, store, new ChallengeVerifier(new ChallengeOptions()), TimeProvider.System);
            var subject = await LoadRunner.EnrollFirstAsync(photos, p => service.EnrollAsync("bench", [p], replace: true, cancellationToken));

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
                results.Add(await LoadRunner.RunLevelAsync(level, settings.Requests, photos, Verify));
            }

            IReadOnlyDictionary<string, Percentiles>? openCvStages = null;
            IReadOnlyDictionary<string, double>? ratios = null;
            if (settings.CompareOpenCv)
            {
                (openCvStages, ratios) = OpenCvComparison.Run(settings, manifest, bundle, locations, pipeline, photos);
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
