using System.Text.Json;
using IdVerify.Core.Evaluation;
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
    public async Task Calibrate_ships_only_targets_whose_95_percent_bound_holds_and_reports_the_held_out_fold()
    {
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(models);
        File.Copy(TestData.Models.ManifestPath, Path.Combine(models, "manifest.json"));
        var output = Path.Combine(root, "out");

        var result = await CliRunner.RunAsync("eval", "--models", models, "--source", TestData.Models.SourceDirectory!, "--faces", TestData.FacesRoot,
            "--pairs", Path.Combine(TestData.FacesRoot, "pairs.csv"), "--calibrate", "--out", output);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("held-out", result.Output, StringComparison.Ordinal);
        var manifest = ModelManifest.Load(Path.Combine(models, "manifest.json"));
        var calibration = manifest.Get("mobilefacenet-paddlex-128d", ModelRoles.Embedder).Calibration!;
        // 98 acquired photos give 4,621 impostor pairs: FMR 1e-2, and 1e-3 only above the highest impostor (the bound of 0
        // in 4,621 is 6.5e-4); 1e-4 and 1e-5 would need about 30,000 and 300,000 pairs.
        Assert.Equal([0.01, 0.001], calibration.Select(c => c.Fmr));
        Assert.All(calibration, c => Assert.True(c.FmrUpperBound95 <= c.Fmr, $"bound {c.FmrUpperBound95} for {c.Fmr}"));
        // The detector and the landmark model whose points the faces were aligned on.
        Assert.All(calibration, c => Assert.Equal($"{manifest.Defaults.Detector}+{manifest.Defaults.Landmarks}", c.Detector));
        Assert.All(calibration, c => Assert.NotNull(c.Split));
        var point = calibration[0];

        // The same pairs, recounted from the written report: the shipped threshold is the strictest fold's, and its
        // false matches on the calibrating fold keep the Clopper–Pearson bound within the target.
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval-mobilefacenet-paddlex-128d-calibration.json")));
        var folds = report.RootElement.GetProperty("Folds").EnumerateArray()
            .Where(f => f.GetProperty("FmrTarget").GetDouble() == 0.01 && f.GetProperty("Calibrated").ValueKind == JsonValueKind.Object)
            .Select(f => f.GetProperty("Calibrated")).ToList();
        Assert.NotEmpty(folds);
        Assert.Equal(folds.Max(f => f.GetProperty("Threshold").GetDouble()), point.Threshold);
        Assert.All(folds, f => Assert.True(ScoreStatistics.UpperBound95(f.GetProperty("FalseMatches").GetInt32(), f.GetProperty("Impostors").GetInt32()) <= 0.01));
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
