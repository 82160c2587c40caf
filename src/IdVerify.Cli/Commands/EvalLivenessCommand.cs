using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Evaluation;
using IdVerify.Core.Hosting;
using IdVerify.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Measures passive liveness in ISO/IEC 30107-3 terms (APCER per attack type, BPCER) over a threshold sweep.</summary>
public sealed class EvalLivenessCommand(CoreHost host) : AsyncCommand<EvalLivenessCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--labels <FILE>")]
        [Description("CSV with file,kind[,attack_type] (default: tests/data/pad-labels.csv, the shared/faces captures with attack types).")]
        public string? Labels { get; init; }

        [CommandOption("--liveness <IDS>")]
        [Description("Comma-separated liveness model ids to fuse (default: the manifest's bundle).")]
        public string? Liveness { get; init; }

        [CommandOption("--threshold <P>")]
        [Description("Fused P(live) threshold to report at (default: the service's Liveness:Threshold).")]
        public float? Threshold { get; init; }

        [CommandOption("--out <DIR>")]
        public string Output { get; init; } = Path.Combine("artifacts", "eval");

        public override Dictionary<string, string?> Overrides()
        {
            var overrides = base.Overrides();
            if (Threshold is { } threshold)
            {
                overrides["Liveness:Threshold"] = threshold.ToString(CultureInfo.InvariantCulture);
            }

            return overrides;
        }

        public override ValidationResult Validate() => Threshold is null or (>= 0 and <= 1)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--threshold is a probability from 0 to 1, not {Threshold?.ToString(CultureInfo.InvariantCulture)}.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var catalog = core.GetRequiredService<ModelCatalog>();
        var locations = catalog.Locations;
        var manifest = catalog.LoadManifest();
        var root = Path.GetFullPath(Path.Combine(locations.ModelDirectory, ".."));
        var faces = settings.FacesFolder(locations);
        var labels = settings.Labels ?? Path.Combine(root, "tests", "data", "pad-labels.csv");
        var samples = PadReport.LoadLabels(labels);
        var configured = catalog.ConfiguredBundle(manifest);
        var bundle = settings.Liveness is { } ids
            ? configured with { LivenessIds = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }
            : configured;

        using var pipeline = await FacePipelineLoader.LoadAsync(manifest, catalog.Store, bundle, core.GetRequiredService<IOptions<PipelineOptions>>().Value, cancellationToken);
        PadReport? report = null;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"liveness on {samples.Count} captures", maxValue: samples.Count);
            report = PadReport.Evaluate(pipeline, samples, faces, Path.GetFileName(labels), new Progress<int>(n => task.Value = n));
            await Task.CompletedTask;
        });

        Print(report!);
        Directory.CreateDirectory(settings.Output);
        var path = Path.Combine(settings.Output, "eval-liveness.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Wrote {path}");
        return 0;
    }

    private static void Print(PadReport r)
    {
        var types = string.Join(", ", r.AttacksByType.Select(t => $"{t.Key} {t.Value}"));
        AnsiConsole.MarkupLineInterpolated(
            $"{r.Liveness} on {r.Dataset}: {r.BonaFide} bona fide and {r.Attacks} attacks judged ({types}); without context (face fills the frame, not judged): {r.BonaFideWithoutContext} bona fide, {r.AttacksWithoutContext} attacks; no usable face: {r.NotAcquired}.");
        var species = r.AttacksByType.Keys.Order().ToList();
        var table = new Table().AddColumn("threshold").AddColumns(species.Select(t => $"APCER {t}").ToArray()).AddColumns("APCER", "BPCER");
        foreach (var p in r.Sweep.Append(r.Configured).DistinctBy(p => Math.Round(p.Threshold, 4)).OrderBy(p => p.Threshold))
        {
            var mark = Math.Abs(p.Threshold - r.Configured.Threshold) < 1e-6 ? " (configured)" : "";
            table.AddRow([$"{p.Threshold.ToString("F2", CultureInfo.InvariantCulture)}{mark}",
                .. species.Select(t => Pct(p.ApcerByType.GetValueOrDefault(t))), Pct(p.Apcer), Pct(p.Bpcer)]);
        }

        AnsiConsole.Write(table);
        var c = r.Configured;
        AnsiConsole.MarkupLineInterpolated(
            $"At {c.Threshold:F2}: APCER {Pct(c.Apcer)} ({c.AttacksAccepted}/{r.Attacks}; 95% upper bound {Pct(r.ApcerUpperBound95)}), BPCER {Pct(c.Bpcer)} ({c.BonaFideRejected}/{r.BonaFide}; 95% upper bound {Pct(r.BpcerUpperBound95)}).");
        var worst = r.Scores.Where(s => s is { Attack: true, Score: not null, Reason: null }).OrderByDescending(s => s.Score).Take(3);
        AnsiConsole.MarkupLineInterpolated($"Highest-scoring attacks: {string.Join("; ", worst.Select(s => $"{s.Score:F3} {s.Path}"))}");
    }

    private static string Pct(double rate) => (rate * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
