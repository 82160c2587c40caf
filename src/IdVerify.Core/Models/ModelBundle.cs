namespace IdVerify.Core.Models;

/// <summary>Which manifest model serves each role.</summary>
/// <param name="EyeLandmarksId">optional 68-point landmark model: refines the five points alignment uses, and measures blinks.</param>
/// <param name="LegacyEmbedderIds">embedders kept loaded after a swap so subjects enrolled with them still verify.</param>
public sealed record ModelBundle(
    string DetectorId,
    string EmbedderId,
    IReadOnlyList<string> LivenessIds,
    string? EyeLandmarksId = null,
    IReadOnlyList<string>? LegacyEmbedderIds = null)
{
    public static ModelBundle DefaultOf(ModelManifest manifest) =>
        new(manifest.Defaults.Detector, manifest.Defaults.Embedder, manifest.Defaults.Liveness, manifest.Defaults.Landmarks);
}
