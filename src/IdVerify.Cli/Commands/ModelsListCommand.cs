using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public sealed class ModelsListCommand(CoreHost host) : Command<ModelSettings>
{
    public override int Execute(CommandContext context, ModelSettings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var store = core.GetRequiredService<ModelStore>();
        var catalog = core.GetRequiredService<ModelCatalog>();
        var manifest = catalog.LoadManifest();
        var bundle = catalog.ConfiguredBundle(manifest);
        var active = new HashSet<string>(bundle.LivenessIds.Append(bundle.DetectorId).Append(bundle.EmbedderId));
        var legacy = new HashSet<string>(bundle.LegacyEmbedderIds ?? []);

        var table = new Table().AddColumn(new TableColumn("id").NoWrap()).AddColumns("role", "family", "active", "bytes", "state", "calibrated");
        foreach (var entry in manifest.Models)
        {
            var state = store.Check(entry) switch
            {
                ModelFileState.Verified => "[green]verified[/]",
                ModelFileState.HashMismatch => "[red]sha256 mismatch[/]",
                _ => "[yellow]missing[/]",
            };
            table.AddRow(Markup.Escape(entry.Id), entry.Role, Markup.Escape(entry.Family),
                active.Contains(entry.Id) ? "yes" : legacy.Contains(entry.Id) ? "legacy" : "",
                entry.Bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), state,
                entry.Calibration is { Count: > 0 } c ? string.Join(", ", c.Select(p => $"FMR {p.Fmr:G}")) : "");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"Active bundle from {(File.Exists(catalog.ActiveFile) ? catalog.ActiveFile : "the manifest's defaults")}.");
        var (options, provider) = new InferenceOptions { Provider = "auto" }.CreateSessionOptions();
        options.Dispose();
        AnsiConsole.MarkupLineInterpolated(
            $"Execution providers in this build: {string.Join(", ", Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders())}; Inference:Provider=auto would run on {provider.Actual}.");
        return 0;
    }
}
