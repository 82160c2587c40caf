using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Evaluation;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Measures accuracy with the service's own pipeline; optionally writes the calibrated thresholds back to the manifest.</summary>
public sealed class EvalCommand(CoreHost host) : AsyncCommand<EvalCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--labels <FILE>")]
        [Description("CSV with file,identity (source and kind columns honoured). Default: <faces>/labels.csv.")]
        public string? Labels { get; init; }

        [CommandOption("--pairs <FILE>")]
        [Description("CSV with file_a,file_b,same_identity (optional source column). Without it: all within-identity pairs and a sample of impostors.")]
        public string? Pairs { get; init; }

        [CommandOption("--impostor-sample <N>")]
        [Description("Cross-identity impostor pairs to draw when no pairs file is given (default 20000).")]
        public int ImpostorSample { get; init; } = 20_000;

        [CommandOption("--extra-impostors <N>")]
        [Description("With a pairs file: add up to N cross-source impostor pairs among its photos (default 0).")]
        public int ExtraImpostors { get; init; }

        [CommandOption("--seed <N>")]
        public int Seed { get; init; } = 1;

        [CommandOption("--embedder <ID>")]
        public string? Embedder { get; init; }

        [CommandOption("--compare <IDS>")]
        [Description("Comma-separated embedder ids to evaluate side by side, or 'all'.")]
        public string? Compare { get; init; }

        [CommandOption("--max-side <PX>")]
        [Description("Detection:MaxSide to evaluate at (default: the service's configured one).")]
        public int? MaxSide { get; init; }

        [CommandOption("--refine-landmarks")]
        [Description("Align on five points from the 68-point landmark model (Models:EyeLandmarks) instead of the detector's, as Alignment:RefineLandmarks does.")]
        public bool RefineLandmarks { get; init; }

        [CommandOption("--flip-fusion")]
        [Description("Measure flip fusion: embed the aligned face and its mirror, add and normalise.")]
        public bool FlipFusion { get; init; }

        [CommandOption("--scale <F>")]
        [Description("Measure on every photo resized by this factor (such as 0.3: faces of about 33 px in LFW's 250 px photos), to see what Selection:MinFaceSize costs.")]
        public double Scale { get; init; } = 1;

        [CommandOption("--out <DIR>")]
        [Description("Where the JSON report and the PNG plots go (default artifacts/eval).")]
        public string Output { get; init; } = Path.Combine("artifacts", "eval");

        [CommandOption("--calibrate")]
        [Description("Calibrate FMR 1e-2..1e-5 over the set and each --calibration-set (per source, split by identity, 95% upper bound within the target; the strictest ships) and write the thresholds into the manifest.")]
        public bool Calibrate { get; init; }

        [CommandOption("--calibration-set <DIR>")]
        [Description("With --calibrate: a folder with a labels.csv (file,identity) whose photos are one more calibration source, every pair scored (e.g. ../shared/faces/lfw_devtrain). Repeatable.")]
        public string[] CalibrationSets { get; init; } = [];

        public override Dictionary<string, string?> Overrides()
        {
            var overrides = base.Overrides();
            if (MaxSide is { } maxSide)
            {
                overrides["Detection:MaxSide"] = maxSide.ToString(CultureInfo.InvariantCulture);
            }

            if (RefineLandmarks)
            {
                overrides["Alignment:RefineLandmarks"] = "true";
            }

            return overrides;
        }

        public override ValidationResult Validate() =>
            ImpostorSample < 0 || ExtraImpostors < 0 ? ValidationResult.Error($"--impostor-sample and --extra-impostors cannot be negative (got {ImpostorSample}, {ExtraImpostors}).")
            : MaxSide is < 1 ? ValidationResult.Error($"--max-side must be at least 1 pixel (got {MaxSide}).")
            // The service aligns and embeds one way; thresholds calibrated on another would not hold for it.
            : Scale is <= 0 or > 1 ? ValidationResult.Error($"--scale must be in (0, 1] (got {Scale}).")
            : Calibrate && (FlipFusion || Scale != 1) ? ValidationResult.Error("--calibrate measures the service's own pipeline; drop --flip-fusion and --scale.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var catalog = core.GetRequiredService<ModelCatalog>();
        var pipelineOptions = core.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var locations = catalog.Locations;
        var manifest = catalog.LoadManifest();
        var defaults = catalog.ConfiguredBundle(manifest);
        var faces = settings.FacesFolder(locations);
        var loaded = EvaluationSet.Load(settings.Labels ?? Path.Combine(faces, "labels.csv"), settings.Pairs,
            settings.ImpostorSample, settings.ExtraImpostors, settings.Seed);
        var folder = new DirectoryInfo(faces);
        var set = loaded with { Description = $"{folder.Parent?.Name}/{folder.Name}: {loaded.Description}" };

        var embedders = settings.Compare switch
        {
            null => [settings.Embedder ?? defaults.EmbedderId],
            "all" => manifest.Models.Where(m => m.Role == ModelRoles.Embedder && m.Family == "arcface112").Select(m => m.Id).ToList(),
            var list => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        };

        AnsiConsole.MarkupLineInterpolated($"Dataset {faces}: {loaded.Description}.");
        Directory.CreateDirectory(settings.Output);
        var reports = new List<EvaluationReport>();
        foreach (var embedderId in embedders)
        {
            // The pipeline alone, as the service configures it: an embedder is evaluated before it has a calibrated threshold.
            using var pipeline = await FacePipelineLoader.LoadAsync(manifest, catalog.Store, defaults with { EmbedderId = embedderId },
                pipelineOptions, cancellationToken);
            var variant = new EmbeddingVariant(settings.FlipFusion, settings.Scale);
            var evaluator = new Evaluator(pipeline,
                Path.Combine(settings.Output, "cache", $"max-side-{pipeline.Options.Detector.MaxSide?.ToString(CultureInfo.InvariantCulture) ?? "default"}"), variant);
            EvaluationReport? report = null;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"{embedderId}: embedding {set.Photos.Count} photos", maxValue: set.Photos.Count);
                report = evaluator.Run(set, faces, new Progress<int>(done => task.Value = done));
                task.Value = set.Photos.Count;
                await Task.CompletedTask;
            });

            reports.Add(report!);
            PrintReport(report!);
            var stem = Path.Combine(settings.Output, $"eval-{embedderId}{variant.Name}");
            await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            EvaluationPlots.Histogram(report!, stem + "-scores.png");
            AnsiConsole.MarkupLineInterpolated($"Wrote {stem}.json and {stem}-scores.png");

            if (settings.Calibrate)
            {
                var sources = new List<CalibrationSource> { evaluator.AcquireSource(SourceName(faces), set.Photos, faces) };
                foreach (var extra in settings.CalibrationSets)
                {
                    var photos = LabelledPhoto.Load(Path.Combine(extra, "labels.csv"));
                    await AnsiConsole.Progress().StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"{embedderId}: embedding {photos.Count} photos of {extra}", maxValue: photos.Count);
                        sources.Add(evaluator.AcquireSource(SourceName(extra), photos, extra, new Progress<int>(done => task.Value = done)));
                        await Task.CompletedTask;
                    });
                }

                var calibration = HeldOutCalibration.Run(sources);
                PrintCalibration(calibration);
                await File.WriteAllTextAsync(stem + "-calibration.json", JsonSerializer.Serialize(calibration, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                manifest = Calibrate(manifest, locations, report!, calibration);
            }
        }

        var det = Path.Combine(settings.Output, reports.Count == 1 ? $"det-{reports[0].Embedder}.png" : "det-compare.png");
        EvaluationPlots.Det(reports, det);
        AnsiConsole.MarkupLineInterpolated($"DET curve: {det}");
        if (reports.Count > 1)
        {
            PrintComparison(reports);
        }

        return 0;
    }

    private static ModelManifest Calibrate(ModelManifest manifest, ModelLocations locations, EvaluationReport report, HeldOutCalibration calibration)
    {
        if (calibration.Shipped.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                "No source and fold supports FMR 1e-2 with its 95% upper bound; nothing was calibrated.");
        }

        var sources = string.Join("; ", calibration.Sources.Select(s =>
            $"{s.Name}: {s.Photos} photos, {s.Identities} identities, {s.FailureToAcquire} failed to acquire, {s.Genuine} genuine / {s.Impostors} impostor pairs"));
        var points = calibration.Shipped.Select(s => new CalibrationPoint(
                s.FmrTarget,
                s.Threshold,
                calibration.Sources.Single(x => x.Name == s.Deciding.Source).Genuine,
                s.Deciding.Calibrated!.Impostors,
                $"strictest of {s.SupportingFolds} supporting source folds (of {s.Folds}), decided by {s.Deciding.Source} {FoldName(s.Deciding.Fold)}; sources: {sources}",
                report.Detector,
                s.Deciding.Calibrated.FalseMatches,
                Math.Round(s.Deciding.Calibrated.FmrUpperBound95, 8),
                calibration.Split,
                // A threshold from all of a source's pairs has nothing held out; the folds' checks are in the eval report.
                s.Deciding.Fold == HeldOutCalibration.WholeSource ? null : s.Deciding.HeldOutImpostors,
                s.Deciding.Fold == HeldOutCalibration.WholeSource ? null : s.Deciding.HeldOutFalseMatches,
                s.Deciding.Fold == HeldOutCalibration.WholeSource ? null : Math.Round(s.Deciding.HeldOutFmrUpperBound95, 8)))
            .ToList();

        var written = locations.SaveCalibration(report.Embedder, points);
        AnsiConsole.MarkupLineInterpolated(
            $"[green]Calibrated[/] {report.Embedder} (detector {report.Detector}) in {written}: {string.Join(", ", points.Select(p => $"FMR {p.Fmr:G} -> {p.Threshold:F4}"))}");
        foreach (var target in HeldOutCalibration.Targets.Where(t => calibration.Shipped.All(s => s.FmrTarget != t)))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]Not calibrated[/] FMR {target:G}: no source fold has enough impostor pairs for its 95% upper bound.");
        }

        return manifest.WithCalibration(report.Embedder, points);
    }

    private static void PrintCalibration(HeldOutCalibration c)
    {
        var sources = new Table().Title("calibration sources").AddColumns("source", "photos", "FTA", "identities", "genuine", "impostors", "impostors per fold");
        foreach (var s in c.Sources)
        {
            sources.AddRow(s.Name, $"{s.Photos}", $"{s.FailureToAcquire}", $"{s.Identities}", $"{s.Genuine:N0}", $"{s.Impostors:N0}", string.Join(" / ", s.ImpostorsPerFold.Select(n => n.ToString("N0", CultureInfo.InvariantCulture))));
        }

        AnsiConsole.Write(sources);
        var folds = new Table().Title($"held-in / held-out ({Markup.Escape(c.Split)})")
            .AddColumns("source", "fold", "FMR target", "threshold", "held-in false matches / impostors", "held-in 95% bound", "held-out false matches / impostors", "held-out FMR", "held-out 95% bound");
        foreach (var f in c.Folds)
        {
            folds.AddRow(f.Source, FoldName(f.Fold), $"{f.FmrTarget:G}",
                f.Calibrated is null ? "[yellow]unsupported[/]" : F(f.Calibrated.Threshold),
                f.Calibrated is null ? "" : $"{f.Calibrated.FalseMatches:N0} / {f.Calibrated.Impostors:N0}",
                f.Calibrated is null ? "" : $"{f.Calibrated.FmrUpperBound95:G3}",
                f.Calibrated is null || f.Fold == HeldOutCalibration.WholeSource ? "" : $"{f.HeldOutFalseMatches:N0} / {f.HeldOutImpostors:N0}",
                f.Calibrated is null || f.Fold == HeldOutCalibration.WholeSource ? "" : $"{f.HeldOutFmr:G3}" + (f.HeldOutFmr > f.FmrTarget ? " [red](over target)[/]" : ""),
                f.Calibrated is null || f.Fold == HeldOutCalibration.WholeSource ? "" : $"{f.HeldOutFmrUpperBound95:G3}");
        }

        AnsiConsole.Write(folds);
        var shipped = new Table().Title("shipped thresholds (strictest supporting fold) and each source's error rates at them, over all its pairs")
            .AddColumns("FMR target", "threshold", "decided by", "source", "FNMR", "FMR");
        foreach (var a in c.AtShipped)
        {
            var s = c.Shipped.Single(x => x.FmrTarget == a.FmrTarget);
            shipped.AddRow($"{a.FmrTarget:G}", F(a.Threshold), $"{s.Deciding.Source} {FoldName(s.Deciding.Fold)}", a.Source,
                $"{Pct(a.Fnmr)} ({a.FalseNonMatches:N0} / {a.Genuine:N0})", $"{a.Fmr:G3} ({a.FalseMatches:N0} / {a.Impostors:N0})");
        }

        AnsiConsole.Write(shipped);
    }

    private static string FoldName(int fold) => fold == HeldOutCalibration.WholeSource ? "all pairs" : $"fold {fold}";

    private static string SourceName(string folder)
    {
        var info = new DirectoryInfo(folder);
        return $"{info.Parent?.Name}/{info.Name}";
    }

    private static void PrintReport(EvaluationReport r)
    {
        var table = new Table().Title($"{r.Embedder} (detector {r.Detector})").AddColumns("measure", "value");
        table.AddRow("images", $"{r.Images}");
        table.AddRow("failure to acquire", $"{r.FailureToAcquire.Count}" + (r.FailureToAcquire.Count == 0 ? "" :
            ": " + Markup.Escape(string.Join(", ", r.FailureToAcquire.Select(f => $"{f.Path} ({f.Code})")))));
        table.AddRow("genuine / impostor pairs", $"{r.Genuine} / {r.Impostors}");
        table.AddRow("EER", $"{Pct(r.Eer)} at cosine {F(r.EerThreshold)}");
        foreach (var p in r.OperatingPoints)
        {
            var support = p.Supported ? "" : $" [yellow](unsupported: {r.Impostors} impostors < {ScoreStatistics.RuleOfThree / p.FmrTarget:N0}; 95% upper bound on FMR {p.FmrUpperBound95:G2})[/]";
            table.AddRow($"FNMR at FMR {p.FmrTarget:G}", $"{Pct(p.Fnmr)} at cosine {F(p.Threshold)} ({FalseMatches(p.FalseMatches)}){support}");
        }

        table.AddRow("AUC", r.Auc.ToString("F5", CultureInfo.InvariantCulture));
        table.AddRow("median time per face", $"{r.MedianMsPerFace:F1} ms");
        if (r.MedianFaceSize is { } size)
        {
            table.AddRow("median face size", $"{size:F0} px (shorter side of the box)");
        }

        foreach (var a in r.TemplateAggregation)
        {
            table.AddRow($"templates: {a.Method}", $"EER {Pct(a.Eer)}, d' {a.DPrime:F2}; at the FMR 1e-3 threshold: {FalseMatches(a.FalseMatchesAtFmr1e3Threshold)}, FNMR {Pct(a.FnmrAtFmr1e3Threshold)} ({a.Genuine}/{a.Impostors} probes)");
        }

        table.AddRow("lowest genuine", Markup.Escape(string.Join("\n", r.LowestGenuine.Take(5).Select(p => $"{F(p.Score)} {p.PathA} ~ {p.PathB}"))));
        table.AddRow("highest impostor", Markup.Escape(string.Join("\n", r.HighestImpostors.Take(5).Select(p => $"{F(p.Score)} {p.PathA} ~ {p.PathB}"))));
        AnsiConsole.Write(table);
    }

    private static void PrintComparison(IReadOnlyList<EvaluationReport> reports)
    {
        var table = new Table().Title("embedders side by side").AddColumns("embedder", "EER", "FNMR @ FMR 1e-2", "FNMR @ FMR 1e-3", "FTA", "ms / face");
        foreach (var r in reports)
        {
            table.AddRow(r.Embedder, Pct(r.Eer), Pct(r.OperatingPoints[0].Fnmr), Pct(r.OperatingPoints[1].Fnmr),
                $"{r.FailureToAcquire.Count} / {r.Images}", r.MedianMsPerFace.ToString("F1", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string FalseMatches(int count) => count == 1 ? "1 false match" : $"{count} false matches";

    private static string Pct(double rate) => (rate * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
