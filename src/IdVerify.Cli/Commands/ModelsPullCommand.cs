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
        var manifest = core.GetRequiredService<ModelCatalog>().LoadManifest();
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

        foreach (var entry in entries.Where(e => e.Derived is not null))
        {
            store.Derive(entry, store.PathOf(entry), entry.Derived!);
            AnsiConsole.MarkupLineInterpolated($"[green]derived[/] {entry.Id} ({entry.Derived!.File}, {entry.Derived.Rewrite}, sha256 verified)");
        }

        return 0;
    }
}
