using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace IdVerify.Core.Hosting;

/// <summary>
/// The models a configuration can serve (the committed manifest plus registered models), where their files live, and
/// the bundle it serves. Model commands (pull, list, eval) need only this; no store is opened for them.
/// </summary>
public sealed class ModelCatalog(IOptions<ModelOptions> models, IOptions<ChallengeOptions> challenge, IOptions<PipelineOptions> pipeline, ModelStore store)
{
    public ModelLocations Locations => store.Locations;

    public ModelStore Store => store;

    public string LocalManifestPath => models.Value.LocalManifest is { Length: > 0 } p ? p : Locations.LocalManifestPath;

    public string ActiveFile => models.Value.ActiveFile is { Length: > 0 } p ? p : Locations.ActiveFile;

    public string CustomDirectory => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(LocalManifestPath))!, "custom");

    /// <summary>The committed manifest plus the registered models.</summary>
    public ModelManifest LoadManifest() => ModelManifest.Load(Locations.ManifestPath, LocalManifestPath);

    /// <summary>The configured bundle: Models:* settings (and active.json, read as configuration) over the manifest's defaults.</summary>
    public ModelBundle ConfiguredBundle(ModelManifest manifest)
    {
        var settings = models.Value;
        var defaults = ModelBundle.DefaultOf(manifest);
        return new ModelBundle(
            settings.Detector is { Length: > 0 } d ? d : defaults.DetectorId,
            settings.Embedder is { Length: > 0 } e ? e : defaults.EmbedderId,
            settings.Liveness is { Count: > 0 } l ? l : defaults.LivenessIds,
            challenge.Value.Actions.Contains(ChallengeActions.Blink) || pipeline.Value.RefineLandmarks ? settings.EyeLandmarks : null,
            settings.LegacyEmbedders);
    }

    /// <summary>Records the active bundle so that a restart serves the same models (read as configuration at start).</summary>
    public void SaveActive(ModelBundle bundle) => ActiveBundleFile.Save(ActiveFile, bundle);
}
