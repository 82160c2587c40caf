using System.Text.Json;
using IdVerify.Core.Models;
using IdVerify.Tests;

namespace IdVerify.Cli.Tests;

public sealed class EvalCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-eval-").FullName;

    [Fact]
    public async Task Eval_on_a_labelled_subset_counts_the_pairs_and_draws_a_det_curve()
    {
        // One family: Dad ×3, Daughter ×3, Mom ×2, Son ×2 → 3 + 3 + 1 + 1 genuine pairs, 45 − 8 impostor pairs.
        var labels = Path.Combine(root, "labels.csv");
        var rows = TestData.Labels().Where(l => l.Source == "azure_face_samples" && l.File.StartsWith("Family1-", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(labels, ["source,file,identity,kind", .. rows.Select(l => $"{l.Source},{l.File},{l.Identity},{l.Kind}")]);
        var output = Path.Combine(root, "out");

        var result = await CliRunner.RunAsync("eval", "--faces", TestData.FacesRoot, "--labels", labels, "--out", output);

        Assert.True(result.ExitCode == 0, result.Output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval-mobilefacenet-paddlex-128d.json")));
        Assert.Equal(10, report.RootElement.GetProperty("Images").GetInt32());
        Assert.Equal(8, report.RootElement.GetProperty("Genuine").GetInt32());
        Assert.Equal(37, report.RootElement.GetProperty("Impostors").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("FailureToAcquire").GetArrayLength());
        AssertPng(Path.Combine(output, "det-mobilefacenet-paddlex-128d.png"));
        AssertPng(Path.Combine(output, "eval-mobilefacenet-paddlex-128d-scores.png"));
        // 37 impostors cannot support FMR 1e-2 (300 needed): the report says so.
        Assert.Contains("unsupported", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibrate_writes_supported_targets_whose_thresholds_keep_the_false_match_budget()
    {
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(models);
        File.Copy(TestData.Models.ManifestPath, Path.Combine(models, "manifest.json"));
        var output = Path.Combine(root, "out");

        var result = await CliRunner.RunAsync("eval", "--models", models, "--source", TestData.Models.SourceDirectory!, "--faces", TestData.FacesRoot,
            "--pairs", Path.Combine(TestData.FacesRoot, "pairs.csv"), "--extra-impostors", "20000", "--calibrate", "--out", output);

        Assert.True(result.ExitCode == 0, result.Output);
        var manifest = ModelManifest.Load(Path.Combine(models, "manifest.json"));
        var calibration = manifest.Get("mobilefacenet-paddlex-128d", ModelRoles.Embedder).Calibration!;
        Assert.Equal([0.01, 0.001], calibration.Select(c => c.Fmr));
        Assert.All(calibration, c => Assert.True(c.Impostors >= 3 / c.Fmr));

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval-mobilefacenet-paddlex-128d.json")));
        var impostors = report.RootElement.GetProperty("Impostors").GetInt32();
        var at1e3 = report.RootElement.GetProperty("OperatingPoints").EnumerateArray().Single(p => p.GetProperty("FmrTarget").GetDouble() == 1e-3);
        Assert.True(at1e3.GetProperty("FalseMatches").GetInt32() <= Math.Floor(1e-3 * impostors));
        Assert.Equal(calibration[1].Threshold, at1e3.GetProperty("Threshold").GetDouble());
        // The same scores, recounted from the report: no more than the budget at or above the stored threshold.
        var overThreshold = report.RootElement.GetProperty("ImpostorScores").EnumerateArray().Count(s => s.GetDouble() >= calibration[1].Threshold);
        Assert.True(overThreshold <= Math.Floor(1e-3 * impostors), $"{overThreshold} impostors at or above {calibration[1].Threshold}");
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
