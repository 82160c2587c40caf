using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using IdVerify.Cli.Bench;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Matching;
using IdVerify.Core.Templates;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Measures 1:N on real faces: the exact gallery scan (<see cref="GalleryScan"/>, the search both providers run) over
/// galleries of real lfw_devtrain embeddings padded with random unit vectors, and the enrollment duplicate check on
/// lfw_devtrain (one photo per person enrolled, a second photo of the same people and photos of new people searched).
/// </summary>
public sealed class BenchIdentifyCommand(CoreHost host) : AsyncCommand<BenchIdentifyCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--people <N>")]
        [Description("lfw_devtrain people with two or more photos: the first is enrolled, the second searched (default 400).")]
        public int People { get; init; } = 400;

        [CommandOption("--new-people <N>")]
        [Description("lfw_devtrain people with one photo, searched as new customers (default 400).")]
        public int NewPeople { get; init; } = 400;

        [CommandOption("--sizes <LIST>")]
        [Description("Gallery sizes of the search benchmark (default 10000,100000,1000000).")]
        public string Sizes { get; init; } = "10000,100000,1000000";

        [CommandOption("--queries <N>")]
        [Description("Searches per gallery size (default 50).")]
        public int Queries { get; init; } = 50;

        public int[] GallerySizes() => Sizes.Split(',', StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1).ToArray();

        public override ValidationResult Validate() =>
            People < 2 || NewPeople < 1 || Queries < 1 || GallerySizes().Any(n => n < 1)
                ? ValidationResult.Error("--people must be at least 2, --new-people and --queries at least 1, --sizes positive whole numbers separated by commas.")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("idverify-bench-");
        try
        {
            var overrides = settings.Overrides();
            overrides["Storage:SqlitePath"] = Path.Combine(directory.FullName, "bench.db");
            using var core = host.Start(settings.ConfigFile, overrides);
            var factory = core.GetRequiredService<FaceServicesFactory>();
            using var services = await factory.BuildAsync(cancellationToken);
            var identify = core.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentifyOptions>>().Value;
            var lfw = Path.Combine(settings.FacesFolder(factory.Catalog.Locations), "lfw_devtrain");
            if (!Directory.Exists(lfw))
            {
                throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{lfw} does not exist.");
            }

            var people = Directory.GetDirectories(lfw).Order(StringComparer.Ordinal)
                .Select(d => (Name: Path.GetFileName(d), Photos: Directory.GetFiles(d).Order(StringComparer.Ordinal).ToArray())).ToList();
            var failed = 0;
            float[]? Embed(string photo)
            {
                try
                {
                    return services.Pipeline.Analyze(File.ReadAllBytes(photo)).Embedding;
                }
                catch (IdVerifyException)
                {
                    failed++;
                    return null;
                }
            }

            var clock = Stopwatch.StartNew();
            var pairs = people.Where(p => p.Photos.Length >= 2)
                .Select(p => (p.Name, Enrolled: Embed(p.Photos[0]), Probe: Embed(p.Photos[1])))
                .Where(p => p.Enrolled is not null && p.Probe is not null).Take(settings.People).ToList();
            var strangers = people.Where(p => p.Photos.Length == 1).Select(p => Embed(p.Photos[0])).OfType<float[]>().Take(settings.NewPeople).ToList();
            AnsiConsole.MarkupLineInterpolated(
                $"Embedded lfw_devtrain in {clock.Elapsed.TotalSeconds:F0} s: {pairs.Count} people with two photos, {strangers.Count} new people ({failed} photos without one usable face skipped).");

            var policy = services.Policy;
            Duplicates(policy, identify.FpirTarget, pairs.Select(p => (p.Name, p.Enrolled!, p.Probe!)).ToList(), strangers);
            Search(policy, settings, pairs.Select(p => (p.Name, p.Enrolled!, p.Probe!)).ToList());
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void Duplicates(MatchPolicy policy, double fpirTarget, IReadOnlyList<(string Name, float[] Enrolled, float[] Probe)> pairs,
        IReadOnlyList<float[]> strangers)
    {
        var gallery = pairs.Select(p => (p.Name, (IReadOnlyList<float[]>)[p.Enrolled])).ToList();
        var same = pairs.Select(p => (p.Name, Best: GalleryScan.Run(Query(policy, p.Probe, 1), gallery).Matches[0])).ToList();
        var other = strangers.Select(s => GalleryScan.Run(Query(policy, s, 1), gallery).Matches[0].Score).ToList();
        string Default()
        {
            try
            {
                var p = IdentificationPolicy.For(policy, fpirTarget, gallery.Count);
                return $"FMR {p.Fmr:G} (threshold {p.Threshold:F4})";
            }
            catch (IdVerifyException)
            {
                return "none: fpir_target_unreachable (warn skips the check, refuse refuses)";
            }
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Duplicate check, gallery of {gallery.Count} enrolled people (one lfw_devtrain photo each); at Identify:FpirTarget {fpirTarget:G} the threshold is {Default()}.");
        var table = new Table().AddColumns("calibrated FMR", "threshold", "expected FPIR ≈ N×FMR", "same person caught (right subject)", "new people wrongly flagged");
        foreach (var point in (policy.Embedder.Calibration ?? []).OrderByDescending(p => p.Fmr))
        {
            var threshold = (float)point.Threshold;
            var caught = same.Count(s => s.Best.Score >= threshold && s.Best.SubjectId == s.Name);
            var flagged = other.Count(s => s >= threshold);
            table.AddRow(point.Fmr.ToString("G", CultureInfo.InvariantCulture), threshold.ToString("F4", CultureInfo.InvariantCulture),
                Math.Min(1, gallery.Count * point.Fmr).ToString("G3", CultureInfo.InvariantCulture),
                $"{caught} / {same.Count} ({100.0 * caught / same.Count:F1}%)", $"{flagged} / {other.Count} ({100.0 * flagged / Math.Max(1, other.Count):F1}%)");
        }

        AnsiConsole.Write(table);
    }

    private static void Search(MatchPolicy policy, Settings settings, IReadOnlyList<(string Name, float[] Enrolled, float[] Probe)> pairs)
    {
        var random = new Random(14);
        var table = new Table().AddColumns("gallery", "real / random", "p50 ms", "p95 ms", "rank-1 genuine", "recall@1 vs exact", "MB per 10k");
        foreach (var size in settings.GallerySizes())
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var gallery = new Dictionary<string, float[][]>(size, StringComparer.Ordinal);
            foreach (var (name, enrolled, _) in pairs.Take(size))
            {
                gallery[name] = [enrolled];
            }

            for (var i = gallery.Count; i < size; i++)
            {
                gallery[$"synthetic-{i:D7}"] = [RandomUnit(random, pairs[0].Enrolled.Length)];
            }

            var megabytesPer10K = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)size * 10_000 / (1024 * 1024);
            var subjects = gallery.Select(s => (s.Key, (IReadOnlyList<float[]>)s.Value)).ToList();
            var times = new List<double>();
            var hits = 0;
            for (var q = 0; q < settings.Queries; q++)
            {
                var (name, _, probe) = pairs[q % pairs.Count];
                var clock = Stopwatch.StartNew();
                var found = GalleryScan.Run(Query(policy, probe, 5), subjects);
                times.Add(clock.Elapsed.TotalMilliseconds);
                hits += found.Matches[0].SubjectId == name ? 1 : 0;
            }

            var p = Percentiles.Of(times);
            table.AddRow(size.ToString("N0", CultureInfo.InvariantCulture), $"{Math.Min(size, pairs.Count):N0} / {Math.Max(0, size - pairs.Count):N0}",
                p.P50.ToString("F2", CultureInfo.InvariantCulture), p.P95.ToString("F2", CultureInfo.InvariantCulture),
                $"{hits} / {settings.Queries}", "1.000 (exact scan)", megabytesPer10K.ToString("F2", CultureInfo.InvariantCulture));
        }

        AnsiConsole.MarkupLine("In-memory exact search (the SQLite provider's gallery; PostgreSQL runs the same scan after reading the rows), one template per subject:");
        AnsiConsole.Write(table);
    }

    private static GalleryQuery Query(MatchPolicy policy, float[] probe, int top) => new(policy.Embedder, probe, top, policy.Aggregation);

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            // Box-Muller: a Gaussian vector normalised is uniform on the sphere.
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }
}
