using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using IdVerify.Cli.Bench;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Matching;
using IdVerify.Core.Templates;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Measures 1:N on real faces. The enrollment duplicate check on lfw_devtrain: one photo of every person enrolled as its
/// own subject, each person's second photo enrolled under a new id (should be caught), each person's own photo enrolled
/// as a newcomer against everyone else (should not be). The search over galleries of those real embeddings padded with
/// random unit vectors: the SQLite provider's exact in-memory scan (<see cref="GalleryScan"/>) and, with --postgres, the
/// PostgreSQL provider's pgvector search (<see cref="PostgresGallery"/>), timed query by query in turn so both see the
/// same machine load, with recall@1 against the exact scan.
/// </summary>
public sealed class BenchIdentifyCommand(CoreHost host) : AsyncCommand<BenchIdentifyCommand.Settings>
{
    private static readonly JsonSerializerOptions CacheJson = new();

    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--people <N>")]
        [Description("lfw_devtrain people with two or more photos: the first is enrolled, the second tried under a new id (default: all).")]
        public int People { get; init; } = 100_000;

        [CommandOption("--new-people <N>")]
        [Description("lfw_devtrain people with one photo, enrolled too (default: all).")]
        public int NewPeople { get; init; } = 100_000;

        [CommandOption("--sizes <LIST>")]
        [Description("Gallery sizes of the search benchmark (default 10000,100000,1000000).")]
        public string Sizes { get; init; } = "10000,100000,1000000";

        [CommandOption("--queries <N>")]
        [Description("Searches per gallery size, each a real second photo (default 200).")]
        public int Queries { get; init; } = 200;

        [CommandOption("--postgres <CONNECTION>")]
        [Description("A PostgreSQL server (with pgvector) whose role may create databases: each gallery size is loaded into a database of its own there, searched, and dropped.")]
        public string? Postgres { get; init; }

        [CommandOption("--maintenance-work-mem <SIZE>")]
        [Description("maintenance_work_mem of the HNSW index build in the --postgres databases (default 2GB: a 1M gallery's graph fits).")]
        public string MaintenanceWorkMem { get; init; } = "2GB";

        [CommandOption("--cache <FILE>")]
        [Description("Embeddings file: read when it exists and is of the active embedder, else written after embedding (a rerun skips the photos).")]
        public string? Cache { get; init; }

        public int[] GallerySizes() => Sizes.Split(',', StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1).ToArray();

        public override ValidationResult Validate()
        {
            if (People < 2 || NewPeople < 0 || Queries < 1 || GallerySizes().Any(n => n < 1))
            {
                return ValidationResult.Error("--people must be at least 2, --new-people at least 0, --queries at least 1, --sizes positive whole numbers separated by commas.");
            }

            try
            {
                _ = Postgres is null ? null : new NpgsqlConnectionStringBuilder(Postgres);
                return ValidationResult.Success();
            }
            catch (ArgumentException ex)
            {
                return ValidationResult.Error($"--postgres is not a connection string: {ex.Message}");
            }
        }
    }

    /// <summary>One lfw_devtrain person: the enrolled photo's embedding, and the second photo's when there is one.</summary>
    private sealed record Person(string Name, float[] Enrolled, float[]? Second);

    private sealed record EmbeddingCache(string EmbedderSha256, List<Person> People);

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

            var policy = services.Policy;
            var people = Embed(settings, lfw, policy.Embedder.Sha256, photo => services.Pipeline.Analyze(File.ReadAllBytes(photo)).Embedding);
            Duplicates(policy, identify.FpirTarget, people);
            await SearchAsync(policy, settings, people, cancellationToken);
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<Person> Embed(Settings settings, string lfw, string embedderSha256, Func<string, float[]> embed)
    {
        if (settings.Cache is { } cache && File.Exists(cache)
            && JsonSerializer.Deserialize<EmbeddingCache>(File.ReadAllText(cache), CacheJson) is { } cached && cached.EmbedderSha256 == embedderSha256)
        {
            var fromCache = cached.People.Where(p => p.Second is not null).Take(settings.People)
                .Concat(cached.People.Where(p => p.Second is null).Take(settings.NewPeople)).ToList();
            Report(fromCache, $"Read {cache}", 0);
            return fromCache;
        }

        var folders = Directory.GetDirectories(lfw).Order(StringComparer.Ordinal)
            .Select(d => (Name: Path.GetFileName(d), Photos: Directory.GetFiles(d).Order(StringComparer.Ordinal).ToArray())).ToList();
        var failed = 0;
        float[]? Try(string photo)
        {
            try
            {
                return embed(photo);
            }
            catch (IdVerifyException)
            {
                failed++;
                return null;
            }
        }

        var clock = Stopwatch.StartNew();
        var pairs = folders.Where(p => p.Photos.Length >= 2)
            .Select(p => Try(p.Photos[0]) is { } first && Try(p.Photos[1]) is { } second ? new Person(p.Name, first, second) : null)
            .OfType<Person>().Take(settings.People);
        var singles = folders.Where(p => p.Photos.Length == 1).Select(p => Try(p.Photos[0]) is { } only ? new Person(p.Name, only, null) : null)
            .OfType<Person>().Take(settings.NewPeople);
        var people = pairs.Concat(singles).ToList();
        Report(people, $"Embedded lfw_devtrain in {clock.Elapsed.TotalSeconds:F0} s", failed);
        if (settings.Cache is { } path)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new EmbeddingCache(embedderSha256, people), CacheJson));
        }

        return people;
    }

    private static void Report(List<Person> people, string source, int failed) => AnsiConsole.MarkupLineInterpolated(
        $"{source}: {people.Count(p => p.Second is not null)} people with two photos, {people.Count(p => p.Second is null)} new people ({failed} photos without one usable face skipped).");

    /// <summary>
    /// Each person's second photo enrolled under a new id against the whole gallery (a duplicate to catch), and each person's
    /// enrolled photo as a newcomer against everyone else (a leave-one-out: any flag is a wrong one), at each calibrated point
    /// and at the one <see cref="IdentificationPolicy"/> picks for Identify:FpirTarget.
    /// </summary>
    private static void Duplicates(MatchPolicy policy, double fpirTarget, IReadOnlyList<Person> people)
    {
        var gallery = people.Select(p => (p.Name, (IReadOnlyList<float[]>)[p.Enrolled])).ToList();
        var same = people.Where(p => p.Second is not null)
            .Select(p => (p.Name, Best: GalleryScan.Run(Query(policy, p.Second!, 1, "new-id"), gallery).Matches[0])).ToList();
        var other = people.Select(p => GalleryScan.Run(Query(policy, p.Enrolled, 1, p.Name), gallery).Matches[0].Score).ToList();
        IdentificationPolicy? chosen = null;
        try
        {
            chosen = IdentificationPolicy.For(policy, fpirTarget, gallery.Count - 1);
        }
        catch (IdVerifyException)
        {
            // Reported below: warn skips the check, refuse refuses.
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Duplicate check, gallery of {gallery.Count} enrolled people (one lfw_devtrain photo each): {same.Count} second photos under new ids, {other.Count} newcomers (each person against the {gallery.Count - 1} others).");
        if (chosen is null)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"At Identify:FpirTarget {fpirTarget:G} no calibrated threshold is strict enough (fpir_target_unreachable: warn skips the check, refuse refuses).");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"At Identify:FpirTarget {fpirTarget:G} the threshold is FMR {chosen.Fmr:G} ({chosen.Threshold:F4}), marked *.");
        }
        var table = new Table().AddColumns("calibrated FMR", "threshold", "expected FPIR ≈ N×FMR", "duplicates caught (right subject)", "flagged as someone else",
            "newcomers wrongly flagged");
        foreach (var point in (policy.Embedder.Calibration ?? []).OrderByDescending(p => p.Fmr))
        {
            var threshold = (float)point.Threshold;
            var caught = same.Count(s => s.Best.Score >= threshold && s.Best.SubjectId == s.Name);
            var wrongSubject = same.Count(s => s.Best.Score >= threshold && s.Best.SubjectId != s.Name);
            var flagged = other.Count(s => s >= threshold);
            table.AddRow((point.Fmr.ToString("G", CultureInfo.InvariantCulture) + (chosen?.Fmr == point.Fmr ? " *" : "")).EscapeMarkup(),
                threshold.ToString("F4", CultureInfo.InvariantCulture),
                Math.Min(1, (gallery.Count - 1) * point.Fmr).ToString("G3", CultureInfo.InvariantCulture),
                Share(caught, same.Count), Share(wrongSubject, same.Count), Share(flagged, other.Count));
        }

        AnsiConsole.Write(table);
    }

    private static string Share(int count, int of) => $"{count} / {of} ({100.0 * count / Math.Max(1, of):F1}%)";

    private static async Task SearchAsync(MatchPolicy policy, Settings settings, IReadOnlyList<Person> people, CancellationToken cancellationToken)
    {
        var probes = people.Where(p => p.Second is not null).Take(settings.Queries).ToList();
        var table = new Table().AddColumns("store", "gallery", "real / random", "p50 ms", "p95 ms", "rank-1 genuine", "recall@1 vs exact", "MB per 10k",
            "load + index build");
        foreach (var size in settings.GallerySizes())
        {
            var random = new Random(14);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var gallery = new Dictionary<string, float[][]>(size, StringComparer.Ordinal);
            foreach (var person in people.Take(size))
            {
                gallery[person.Name] = [person.Enrolled];
            }

            var real = gallery.Count;
            for (var i = real; i < size; i++)
            {
                gallery[$"synthetic-{i:D7}"] = [RandomUnit(random, people[0].Enrolled.Length)];
            }

            var megabytesPer10K = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)size * 10_000 / (1024 * 1024);
            var subjects = gallery.Select(s => (s.Key, (IReadOnlyList<float[]>)s.Value)).ToList();
            await using var postgres = settings.Postgres is { } server ? await BenchDatabase.LoadAsync(server, settings.MaintenanceWorkMem, policy, gallery, cancellationToken) : null;

            var exactTimes = new List<double>();
            var indexTimes = new List<double>();
            int exactHits = 0, indexHits = 0, agree = 0;
            foreach (var (name, _, probe) in probes.Select(p => (p.Name, p.Enrolled, p.Second!)))
            {
                var query = Query(policy, probe, 5, null);
                var clock = Stopwatch.StartNew();
                var exact = GalleryScan.Run(query, subjects).Matches[0];
                exactTimes.Add(clock.Elapsed.TotalMilliseconds);
                exactHits += exact.SubjectId == name ? 1 : 0;
                if (postgres is not null)
                {
                    clock.Restart();
                    var found = (await postgres.Gallery.SearchAsync(query, cancellationToken)).Matches[0];
                    indexTimes.Add(clock.Elapsed.TotalMilliseconds);
                    indexHits += found.SubjectId == name ? 1 : 0;
                    agree += found.SubjectId == exact.SubjectId ? 1 : 0;
                }
            }

            var mix = $"{real:N0} / {size - real:N0}";
            var p = Percentiles.Of(exactTimes);
            table.AddRow("SQLite: in-memory exact scan", size.ToString("N0", CultureInfo.InvariantCulture), mix, Ms(p.P50), Ms(p.P95),
                $"{exactHits} / {probes.Count}", "1.000 (is exact)", megabytesPer10K.ToString("F2", CultureInfo.InvariantCulture), "-");
            if (postgres is not null)
            {
                var q = Percentiles.Of(indexTimes);
                table.AddRow("PostgreSQL: pgvector HNSW + exact re-rank", size.ToString("N0", CultureInfo.InvariantCulture), mix, Ms(q.P50), Ms(q.P95),
                    $"{indexHits} / {probes.Count}", ((double)agree / probes.Count).ToString("F3", CultureInfo.InvariantCulture),
                    (postgres.Bytes / (double)size * 10_000 / (1024 * 1024)).ToString("F2", CultureInfo.InvariantCulture),
                    $"{postgres.LoadSeconds:F0} s + {postgres.BuildSeconds:F0} s");
            }

            gallery.Clear();
        }

        AnsiConsole.MarkupLine("Search, top 5, one template per subject; the two stores timed query by query in turn (same load). " +
            "PostgreSQL MB per 10k: the templates table with its indexes, HNSW included.");
        AnsiConsole.Write(table);
    }

    private static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static GalleryQuery Query(MatchPolicy policy, float[] probe, int top, string? exclude) => new(policy.Embedder, probe, top, policy.Aggregation, exclude);

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

    /// <summary>
    /// One gallery in a scratch database: rows written as <see cref="PostgresTemplateStore"/> writes them (sealed, with their
    /// rotated copy) but with COPY, since a million one-row enrollments would take hours; the index then built by the
    /// gallery's first search, as in the service. Dropped on dispose.
    /// </summary>
    private sealed class BenchDatabase : IAsyncDisposable
    {
        private readonly string server;
        private readonly string name;
        private readonly PostgresDatabase database;

        private BenchDatabase(string server, string name, PostgresDatabase database, DataKeyRing keys)
        {
            this.server = server;
            this.name = name;
            this.database = database;
            Gallery = new PostgresGallery(database, keys);
        }

        public PostgresGallery Gallery { get; }

        public double LoadSeconds { get; private set; }

        public double BuildSeconds { get; private set; }

        public long Bytes { get; private set; }

        public static async Task<BenchDatabase> LoadAsync(string server, string maintenanceWorkMem, MatchPolicy policy,
            Dictionary<string, float[][]> gallery, CancellationToken cancellationToken)
        {
            var name = $"idverify_bench_{Guid.NewGuid():N}";
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync(cancellationToken);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Options = $"-c maintenance_work_mem={maintenanceWorkMem}" };
            var keys = DataKeyRing.CreateNew();
            var bench = new BenchDatabase(server, name, new PostgresDatabase(connection.ConnectionString), keys);
            var clock = Stopwatch.StartNew();
            await using (var load = new NpgsqlConnection(connection.ConnectionString))
            {
                await load.OpenAsync(cancellationToken);
                await CopyAsync(load, keys, policy, gallery, cancellationToken);
            }

            bench.LoadSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await bench.Gallery.SearchAsync(Query(policy, gallery.First().Value[0], 1, null), cancellationToken);
            bench.BuildSeconds = clock.Elapsed.TotalSeconds;
            await using (var sizeConnection = new NpgsqlConnection(connection.ConnectionString))
            {
                await sizeConnection.OpenAsync(cancellationToken);
                await using var size = new NpgsqlCommand("VACUUM ANALYZE templates", sizeConnection);
                await size.ExecuteNonQueryAsync(cancellationToken);
                size.CommandText = "SELECT pg_total_relation_size('templates')";
                bench.Bytes = Convert.ToInt64(await size.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            return bench;
        }

        private static async Task CopyAsync(NpgsqlConnection connection, DataKeyRing keys, MatchPolicy policy, Dictionary<string, float[][]> gallery,
            CancellationToken cancellationToken)
        {
            var sealer = new TemplateSealer(keys);
            var rotation = new SearchRotation(keys);
            var now = DateTimeOffset.UtcNow;
            var quality = JsonSerializer.Serialize(new TemplateQuality(0.9f, 120, 150, 60, 0.98f));
            await using (var subjects = await connection.BeginBinaryImportAsync("COPY subjects (subject_id, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var subjectId in gallery.Keys)
                {
                    await subjects.WriteRowAsync(cancellationToken, subjectId, now, now);
                }

                await subjects.CompleteAsync(cancellationToken);
            }

            await using var templates = await connection.BeginBinaryImportAsync("""
                COPY templates (template_id, subject_id, embedding, dimensions, embedder_id, embedder_sha256, created_at, quality, key_id, search_vector)
                FROM STDIN (FORMAT BINARY)
                """, cancellationToken);
            foreach (var (subjectId, embeddings) in gallery)
            {
                foreach (var embedding in embeddings)
                {
                    var templateId = Guid.NewGuid().ToString("N");
                    await templates.StartRowAsync(cancellationToken);
                    await templates.WriteAsync(templateId, NpgsqlDbType.Text, cancellationToken);
                    await templates.WriteAsync(subjectId, NpgsqlDbType.Text, cancellationToken);
                    await templates.WriteAsync(sealer.SealEmbedding(keys.ActiveId, templateId, embedding), NpgsqlDbType.Bytea, cancellationToken);
                    await templates.WriteAsync(embedding.Length, NpgsqlDbType.Integer, cancellationToken);
                    await templates.WriteAsync(policy.Embedder.Id, NpgsqlDbType.Text, cancellationToken);
                    await templates.WriteAsync(policy.Embedder.Sha256, NpgsqlDbType.Text, cancellationToken);
                    await templates.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                    await templates.WriteAsync(quality, NpgsqlDbType.Text, cancellationToken);
                    await templates.WriteAsync(keys.ActiveId, NpgsqlDbType.Text, cancellationToken);
                    // pgvector's binary form (vector_recv): dimensions and an unused int16, then big-endian float4s.
                    await templates.WriteAsync(VectorBinary(rotation.Rotate(keys.ActiveId, embedding)), NpgsqlDbType.Bytea, cancellationToken);
                }
            }

            await templates.CompleteAsync(cancellationToken);
        }

        private static byte[] VectorBinary(float[] vector)
        {
            var bytes = new byte[4 + (4 * vector.Length)];
            BinaryPrimitives.WriteInt16BigEndian(bytes, (short)vector.Length);
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(4 + (4 * i)), vector[i]);
            }

            return bytes;
        }

        public async ValueTask DisposeAsync()
        {
            database.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
