using System.Diagnostics;
using IdVerify.Core.Hosting;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Quality;
using IdVerify.Core.Templates;
using IdVerify.Core.Verification;
using IdVerify.Tests;

namespace IdVerify.Cli.Tests;

public sealed class ModelOperationsCliTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-ops-").FullName;

    private string ModelsCopy()
    {
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(models);
        File.Copy(TestData.Models.ManifestPath, Path.Combine(models, "manifest.json"));
        return models;
    }

    [Fact]
    public async Task Models_use_records_the_choice_for_the_next_start()
    {
        var models = ModelsCopy();

        var use = await CliRunner.RunAsync("models", "use", "embedder", "mobilefacenet-treb1en-128d", "--keep-legacy",
            "--models", models, "--source", TestData.Models.SourceDirectory!);
        var list = await CliRunner.RunAsync("models", "list", "--models", models);

        Assert.True(use.ExitCode == 0, use.Output);
        var active = ActiveBundleFile.Load(Path.Combine(models, "active.json"))!;
        Assert.Equal("mobilefacenet-treb1en-128d", active.EmbedderId);
        Assert.Equal(["mobilefacenet-paddlex-128d"], active.LegacyEmbedderIds);
        Assert.Matches(@"mobilefacenet-paddlex-128d\s*│\s*embedder\s*│\s*arcface112\s*│\s*legacy", list.Output);
        Assert.Contains("CPUExecutionProvider", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_use_refuses_a_model_of_another_role()
    {
        var result = await CliRunner.RunAsync("models", "use", "embedder", "yunet-2026may", "--models", ModelsCopy(),
            "--source", TestData.Models.SourceDirectory!);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a detector, not a embedder", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_migrate_re_embeds_stored_crops_with_the_new_embedder()
    {
        var database = Path.Combine(root, "idverify.db");
        // The key file the service would create beside its database; the CLI opens the crops with it.
        var keys = DataKeySource.Resolve(new TemplateOptions(), database);
        var manifest = ModelManifest.Load(TestData.Models.ManifestPath);
        using (var pipeline = await FacePipelineLoader.LoadAsync(manifest, new ModelStore(TestData.Models), ModelBundle.DefaultOf(manifest), new PipelineOptions()))
        {
            var store = new SqliteTemplateStore(new SqliteDatabase(database), keys);
            var policy = MatchPolicy.For(pipeline.Embedder.Model, 1e-3);
            using var gallery = new InMemoryGallery(store);
            var enrollment = new EnrollmentService(pipeline, store, new EnrollmentRules(new EnrollmentOptions(), QualityBounds.Enrollment, policy),
                new FaceCropProtector(keys), new IdentificationService(pipeline, gallery, new IdentificationRules(new IdentifyOptions(), policy, new QualityBounds())),
                TimeProvider.System);
            await enrollment.EnrollAsync("alice", [TestData.Read("face_recognition/examples/knn_examples/train/obama/obama.jpg")], replace: false);
        }

        var before = await CliRunner.RunAsync("templates", "status", "--db", database);
        var migrate = await CliRunner.RunAsync("templates", "migrate", "--db", database, "--to", "mobilefacenet-treb1en-128d");
        var again = await CliRunner.RunAsync("templates", "migrate", "--db", database, "--to", "mobilefacenet-treb1en-128d");

        Assert.Contains("migratable): 1", before.Output, StringComparison.Ordinal);
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Contains("Migrated 1 subjects", migrate.Output, StringComparison.Ordinal);
        var subject = (await new SqliteTemplateStore(new SqliteDatabase(database), keys).GetSubjectAsync("alice"))!;
        Assert.Equal(["mobilefacenet-paddlex-128d", "mobilefacenet-treb1en-128d"], subject.Templates.Select(t => t.EmbedderId).Order());
        Assert.Contains("1 subjects already had one", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gpu_build_switch_swaps_the_onnx_runtime_package()
    {
        var project = Path.Combine(TestData.RepositoryRoot, "src", "IdVerify.Core", "IdVerify.Core.csproj");

        var cpu = await Evaluate(project);
        var gpu = await Evaluate(project, "-p:IdVerifyGpu=true");

        Assert.Contains("\"Microsoft.ML.OnnxRuntime\"", cpu, StringComparison.Ordinal);
        Assert.DoesNotContain("Gpu.Linux", cpu, StringComparison.Ordinal);
        Assert.Contains("\"Microsoft.ML.OnnxRuntime.Gpu.Linux\"", gpu, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Microsoft.ML.OnnxRuntime\"", gpu, StringComparison.Ordinal);
    }

    private static async Task<string> Evaluate(string project, params string[] properties)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "msbuild", project, "-getItem:PackageReference" }.Concat(properties))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        return output;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
