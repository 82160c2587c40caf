using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Evaluation;
using IdVerify.Core.Hosting;
using IdVerify.Core.Verification;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>
/// Measures the active head-turn challenge: its pass rate on real head-turn footage, and that live people who do not
/// turn, replays and still photos moved, rotated or tilted in front of the camera fail; plus the yaw calibration's fit.
/// </summary>
public sealed class EvalChallengeCommand(CoreHost host) : AsyncCommand<EvalChallengeCommand.Settings>
{
    public sealed class Settings : DatasetSettings
    {
        [CommandOption("--photos <N>")]
        [Description("How many labelled photos (spread over shared/faces/labels.csv) become still-photo attacks (default: all).")]
        public int? Photos { get; init; }

        [CommandOption("--out <DIR>")]
        public string Output { get; init; } = Path.Combine("artifacts", "eval");

        public override ValidationResult Validate() => Photos is null or > 0
            ? ValidationResult.Success()
            : ValidationResult.Error($"--photos must be a positive count, not {Photos}.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var catalog = core.GetRequiredService<ModelCatalog>();
        var manifest = catalog.LoadManifest();
        var faces = settings.FacesFolder(catalog.Locations);
        var bursts = ChallengeReport.Bursts(faces, settings.Photos);
        // PFLD-68 is loaded as well: the reference the five-point yaw is fitted against.
        using var services = await core.GetRequiredService<FaceServicesFactory>()
            .BuildAsync(manifest, catalog.ConfiguredBundle(manifest) with { EyeLandmarksId = "pfld-68" }, cancellationToken);
        var threshold = ChallengeVerifier.SamePersonThreshold(services.Policy.Embedder, services.Policy.Threshold);

        ChallengeReport? report = null;
        await AnsiConsole.Status().StartAsync("judging bursts", async status =>
        {
            report = ChallengeReport.Evaluate(services.Pipeline, services.Challenges.Verifier, threshold, faces, bursts,
                new Progress<string>(name => status.Status($"judging {name}")));
            await Task.CompletedTask;
        });

        Print(report!, services.Challenges.Verifier.Options.MinTurnDegrees);
        Directory.CreateDirectory(settings.Output);
        var path = Path.Combine(settings.Output, "eval-challenge.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Wrote {path}");
        return 0;
    }

    private static void Print(ChallengeReport r, float minTurn)
    {
        AnsiConsole.MarkupLineInterpolated($"Detector {r.Detector}, yaw gain {r.YawGain:F2}, turn bound {minTurn:F0}°; photos without a usable face (not judged): {r.PhotosNotAcquired}.");
        var table = new Table().AddColumns("bursts", "kind", "trials", "passed", "rate", "failures", "largest turn read (°)");
        foreach (var k in r.Kinds)
        {
            var turns = r.Trials.Where(t => t.Kind == k.Kind).Select(t => t.MaxTurn).ToList();
            table.AddRow(k.Bursts.ToString(CultureInfo.InvariantCulture), (k.Attack ? "must fail: " : "bona fide: ") + k.Kind,
                k.Trials.ToString(CultureInfo.InvariantCulture), k.Passed.ToString(CultureInfo.InvariantCulture),
                (k.Passed / (double)k.Trials).ToString("P1", CultureInfo.InvariantCulture),
                string.Join(", ", k.Failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} {f.Value}")),
                $"{turns.Min():F1}–{turns.Max():F1}");
        }

        AnsiConsole.Write(table);
        foreach (var fit in r.YawFits)
        {
            AnsiConsole.MarkupLineInterpolated($"PFLD-68 yaw ≈ {fit.Gain:F2} × five-point yaw on {fit.Frames} frames of {fit.Set} (RMS residual {fit.ResidualDegrees:F1}°).");
        }

        foreach (var t in r.Trials.Where(t => t.Passed == t.Attack))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{(t.Attack ? "accepted" : "refused")}[/]: {t.Burst} ({t.Kind}, {t.Actions}): {string.Join(", ", t.Failures)}; largest turn {t.MaxTurn:F1}°, liveness {t.LivenessScore:F2}");
        }
    }
}
