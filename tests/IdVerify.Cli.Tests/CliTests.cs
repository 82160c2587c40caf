using System.Text.RegularExpressions;
using IdVerify.Core.Models;
using IdVerify.Tests;

namespace IdVerify.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-cli-").FullName;

    [Fact]
    public async Task Bench_identify_measures_the_duplicate_check_and_the_search_on_lfw_devtrain()
    {
        var server = Environment.GetEnvironmentVariable(PostgresTestDatabase.Variable) is { Length: > 0 } configured
            ? configured : PostgresTestDatabase.DefaultConnectionString;
        var result = await CliRunner.RunAsync("bench-identify", "--people", "4", "--new-people", "2", "--sizes", "50,200", "--queries", "4",
            "--postgres", server);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("4 people with two photos, 2 new people", result.Output, StringComparison.Ordinal);
        Assert.Contains("gallery of 6 enrolled people", result.Output, StringComparison.Ordinal);
        Assert.Contains("4 second photos under new ids, 6 newcomers", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ SQLite: in-memory exact scan\s+│ 200\s+│ 6 / 194\s+│", result.Output);
        // The pgvector search agrees with the exact scan on every query of so small a gallery.
        Assert.Matches(@"│ PostgreSQL: pgvector HNSW \+ exact re-rank\s+│ 200\s+│ 6 / 194\s+│[^│]+│[^│]+│ \d / 4\s+│ 1\.000\s+│", result.Output);
    }

    [Fact]
    public async Task Bench_reports_every_stage_the_store_and_the_cpu_ceiling_per_level()
    {
        var report = Path.Combine(root, "bench.json");
        var result = await CliRunner.RunAsync("bench", "--photos", TestData.Photo("azure_face_samples"), "--requests", "8", "--concurrency", "1,2",
            "--warmup", "1", "--out", report);

        Assert.True(result.ExitCode == 0, result.Output);
        // The console may wrap the line where the test host's width ends.
        Assert.Matches(@"CPU per verify\s+\d+\.\d\s+/\s+\d+\.\d\s+ms:\s+at\s+most\s+\d+\s+req/s\s+on\s+\d+\s+cores,\s+\d\.\d\d×\s+concurrency\s+1's\s+throughput",
            result.Output);
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(report));
        foreach (var level in json.RootElement.GetProperty("Levels").EnumerateArray())
        {
            Assert.Equal(0, level.GetProperty("Failed").GetInt32());
            Assert.True(level.GetProperty("CpuMsPerRequest").GetDouble() > 0);
            var stages = level.GetProperty("Stages");
            Assert.Equal(["align", "decode", "detect", "embed", "liveness", "match", "store", "total"],
                stages.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
            Assert.True(stages.GetProperty("store").GetProperty("P50").GetDouble() > 0);
            Assert.Equal(8, stages.GetProperty("embed").GetProperty("Count").GetInt32());
        }
    }

    [Fact]
    public async Task Verify_prints_score_threshold_and_accepts_the_same_person()
    {
        var result = await CliRunner.RunAsync("verify",
            TestData.Photo("face_recognition/tests/test_images/obama3.jpg"), TestData.Photo("face_recognition/examples/knn_examples/train/obama/obama.jpg"));

        Assert.True(result.ExitCode == 0, result.Output);
        // The manifest's calibrated FMR 1e-3 threshold, printed as the CLI prints it.
        var threshold = ModelManifest.Load(TestData.Models.ManifestPath).Get("mobilefacenet-paddlex-128d", ModelRoles.Embedder)
            .Calibration!.Single(c => c.Fmr == 0.001).Threshold.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"score 0\.\d{{4}}  threshold {Regex.Escape(threshold)} \(FMR 0\.001\)  match yes  live yes  quality ok", result.Output);
        Assert.Contains("decision: VERIFIED", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_rejects_a_different_person_with_exit_code_one()
    {
        var result = await CliRunner.RunAsync("verify",
            TestData.Photo("face_recognition/examples/knn_examples/train/biden/biden.jpg"), TestData.Photo("face_recognition/examples/knn_examples/train/obama/obama.jpg"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("match no", result.Output, StringComparison.Ordinal);
        Assert.Contains("decision: NOT VERIFIED", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_a_photo_without_a_face_by_its_code()
    {
        var result = await CliRunner.RunAsync("verify",
            TestData.Photo("insightface/test_res/data/crop/no_face.png"), TestData.Photo("azure_face_samples/Family1-Dad2.jpg"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error no_face", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_pull_fetches_from_the_source_and_list_shows_it_verified()
    {
        var models = CopyManifest();

        var pull = await CliRunner.RunAsync("models", "pull", "--models", models, "--source", TestData.Models.SourceDirectory!, "yunet-2026may");
        var list = await CliRunner.RunAsync("models", "list", "--models", models);

        Assert.Equal(0, pull.ExitCode);
        Assert.Contains("pulled", pull.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(models, "detector", "face_detection_yunet_2026may.onnx")));
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("verified", list.Output, StringComparison.Ordinal);
        Assert.Contains("missing", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_pull_refuses_a_source_file_with_the_wrong_sha256()
    {
        var models = CopyManifest();
        var source = Path.Combine(root, "source");
        var entry = ModelManifest.Load(Path.Combine(models, "manifest.json")).Get("yunet-2026may", ModelRoles.Detector);
        Directory.CreateDirectory(Path.Combine(source, "detector"));
        var bytes = File.ReadAllBytes(Path.Combine(TestData.Models.SourceDirectory!, entry.File));
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(source, entry.File), bytes);

        var pull = await CliRunner.RunAsync("models", "pull", "--offline", "--models", models, "--source", source, "yunet-2026may");

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains("model_integrity", pull.Output, StringComparison.Ordinal);
        Assert.Contains("sha256 mismatch", pull.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(models, "detector")) &&
                     Directory.EnumerateFiles(Path.Combine(models, "detector")).Any());
    }

    private string CopyManifest()
    {
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(models);
        File.Copy(TestData.Models.ManifestPath, Path.Combine(models, "manifest.json"));
        return models;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
