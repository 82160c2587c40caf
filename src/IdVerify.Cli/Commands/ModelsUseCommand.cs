using System.ComponentModel;
using IdVerify.Core;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Chooses the model for a role while the service is stopped: pulls and verifies it, then records it in active.json.</summary>
public sealed class ModelsUseCommand : AsyncCommand<ModelsUseCommand.Settings>
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
        var locations = settings.Locations();
        var manifest = locations.LoadManifest();
        var ids = settings.Ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (settings.Role is not (ModelRoles.Detector or ModelRoles.Embedder or ModelRoles.Liveness) || ids.Length == 0
            || (settings.Role != ModelRoles.Liveness && ids.Length != 1))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "Usage: models use detector|embedder|liveness ID[,ID...]");
        }

        var current = ActiveBundleFile.Load(locations.ActiveFile) ?? ModelBundle.DefaultOf(manifest);
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

        // Load the whole bundle once, as the service will: a model that does not open, or an embedder without a
        // calibrated threshold, is refused here rather than at the next start.
        using (await FacePipeline.CreateAsync(manifest, new ModelStore(locations), next, new PipelineOptions(), cancellationToken))
        {
        }

        if (settings.Role == ModelRoles.Embedder && manifest.Get(ids[0], ModelRoles.Embedder).Calibration is not { Count: > 0 })
        {
            throw new IdVerifyException(ErrorCodes.FmrTargetUnsupported, $"Embedder '{ids[0]}' has no calibrated threshold; run idverify eval --embedder {ids[0]} --calibrate first.");
        }

        ActiveBundleFile.Save(locations.ActiveFile, next);
        AnsiConsole.MarkupLineInterpolated($"[green]{settings.Role}[/] is now {string.Join("+", ids)} in {locations.ActiveFile}; the service reads it at its next start.");
        return 0;
    }
}
