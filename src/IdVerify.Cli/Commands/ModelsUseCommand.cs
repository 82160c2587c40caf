using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Chooses the model for a role while the service is stopped: pulls and verifies it, then records it in active.json.</summary>
public sealed class ModelsUseCommand(CoreHost host) : AsyncCommand<ModelsUseCommand.Settings>
{
    public sealed class Settings : ModelSettings
    {
        [CommandArgument(0, "<ROLE>")]
        [Description("detector, embedder or liveness")]
        public string Role { get; init; } = "";

        [CommandArgument(1, "<IDS>")]
        [Description("Manifest model id (liveness: comma-separated ids to fuse).")]
        public string Ids { get; init; } = "";

        [CommandOption("--keep-legacy")]
        [Description("With embedder: keep the current embedder loaded for subjects not yet re-enrolled.")]
        public bool KeepLegacy { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var core = settings.StartCore(host);
        var factory = core.GetRequiredService<FaceServicesFactory>();
        var catalog = factory.Catalog;
        var manifest = catalog.LoadManifest();
        var ids = settings.Ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (settings.Role is not (ModelRoles.Detector or ModelRoles.Embedder or ModelRoles.Liveness) || ids.Length == 0
            || (settings.Role != ModelRoles.Liveness && ids.Length != 1))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "Usage: models use detector|embedder|liveness ID[,ID...]");
        }

        var current = catalog.ConfiguredBundle(manifest);
        var next = settings.Role switch
        {
            ModelRoles.Detector => current with { DetectorId = ids[0] },
            ModelRoles.Liveness => current with { LivenessIds = ids },
            _ => current with
            {
                EmbedderId = ids[0],
                LegacyEmbedderIds = settings.KeepLegacy
                    ? [.. (current.LegacyEmbedderIds ?? []).Append(current.EmbedderId).Where(e => e != ids[0]).Distinct()]
                    : [],
            },
        };

        // Build the whole bundle once, as the service will at start: a model that does not open, or an embedder
        // without a threshold for the configured FMR target, is refused here rather than at the next start.
        using (await factory.BuildAsync(manifest, next, cancellationToken))
        {
        }

        catalog.SaveActive(next);
        AnsiConsole.MarkupLineInterpolated($"[green]{settings.Role}[/] is now {string.Join("+", ids)} in {catalog.ActiveFile}; the service reads it at its next start.");
        return 0;
    }
}
