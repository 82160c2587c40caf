using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public sealed class ModelsPullCommand(CoreHost host) : AsyncCommand<ModelsPullCommand.Settings>
{
    public sealed class Settings : ModelSettings
    {
        [CommandArgument(0, "[IDS]")]
        [System.ComponentModel.Description("Model ids to pull (default: every model in the manifest).")]
        public string[] Ids { get; init; } = [];

        [CommandOption("--offline")]
        [System.ComponentModel.Description("Pull only from the source folder, never from the manifest's origin URLs.")]
        public bool Offline { get; init; }

        public override Dictionary<string, string?> Overrides()
        {
            var overrides = base.Overrides();
            if (Offline)
            {
                overrides["Models:Offline"] = "true";
            }

            return overrides;
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var store = core.GetRequiredService<ModelStore>();
        var locations = store.Locations;
        var manifest = core.GetRequiredService<FaceServicesFactory>().LoadManifest();
        var entries = settings.Ids.Length == 0
            ? manifest.Models
            : settings.Ids.Select(id => manifest.Models.FirstOrDefault(m => m.Id == id)
                ?? throw new IdVerify.Core.IdVerifyException(IdVerify.Core.ErrorCodes.ModelUnavailable, $"Model '{id}' is not in the manifest.")).ToList();

        AnsiConsole.MarkupLineInterpolated($"Models folder: {locations.ModelDirectory}; source: {locations.SourceDirectory ?? "(none: manifest origins)"}");
        foreach (var entry in entries)
        {
            var state = store.Check(entry);
            if (state == ModelFileState.Verified)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]ok[/]      {entry.Id} ({entry.File})");
                continue;
            }

            if (state == ModelFileState.HashMismatch)
            {
                // A file that fails its hash is never trusted or overwritten silently: the operator decides.
                throw new IdVerify.Core.IdVerifyException(IdVerify.Core.ErrorCodes.ModelIntegrity,
                    $"{store.PathOf(entry)} does not match the manifest's sha256 for '{entry.Id}'; delete it and pull again.");
            }

            await store.PullAsync(entry, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]pulled[/]  {entry.Id} ({entry.File}, {entry.Bytes:N0} bytes, sha256 verified)");
        }

        return 0;
    }
}

public sealed class ModelsListCommand(CoreHost host) : Command<ModelSettings>
{
    public override int Execute(CommandContext context, ModelSettings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var store = core.GetRequiredService<ModelStore>();
        var factory = core.GetRequiredService<FaceServicesFactory>();
        var manifest = factory.LoadManifest();
        var bundle = factory.ConfiguredBundle(manifest);
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
        AnsiConsole.MarkupLineInterpolated($"Active bundle from {(File.Exists(factory.ActiveFile) ? factory.ActiveFile : "the manifest's defaults")}.");
        var (options, provider) = new InferenceOptions { Provider = "auto" }.CreateSessionOptions();
        options.Dispose();
        AnsiConsole.MarkupLineInterpolated(
            $"Execution providers in this build: {string.Join(", ", Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders())}; Inference:Provider=auto would run on {provider.Actual}.");
        return 0;
    }
}
