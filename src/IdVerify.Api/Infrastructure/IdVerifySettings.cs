using System.ComponentModel.DataAnnotations;

namespace IdVerify.Api.Infrastructure;

/// <summary>Configuration section <c>Models</c>: where models live and which serve each role (empty = manifest default).</summary>
public sealed class ModelSettings
{
    public string Directory { get; set; } = "";

    public string Source { get; set; } = "";

    public string Detector { get; set; } = "";

    public string Embedder { get; set; } = "";

    public List<string> Liveness { get; set; } = [];

    /// <summary>68-point landmark model, loaded only when Challenge:Actions offers blink.</summary>
    public string EyeLandmarks { get; set; } = "pfld-68";

    /// <summary>Embedders kept loaded for subjects not yet re-enrolled after a swap (written by swaps to active.json).</summary>
    public List<string> LegacyEmbedders { get; set; } = [];

    /// <summary>Where swaps record the active bundle (default models/active.json).</summary>
    public string ActiveFile { get; set; } = "";

    /// <summary>Where registered models are described (default models/local-manifest.json; their files go to custom/ beside it).</summary>
    public string LocalManifest { get; set; } = "";
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageSettings
{
    /// <summary>The SQLite file; relative paths are under the content root.</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/idverify.db";
}

/// <summary>Configuration section <c>Matching</c>.</summary>
public sealed class MatchingSettings
{
    /// <summary>The false match rate the bank accepts; mapped to a threshold by the embedder's calibration.</summary>
    [Range(1e-9, 0.5)]
    public double FmrTarget { get; set; } = 1e-3;

    /// <summary>How a probe is scored against several templates; mean was measured to keep the calibrated FMR.</summary>
    public IdVerify.Core.Matching.TemplateAggregation TemplateAggregation { get; set; } = IdVerify.Core.Matching.TemplateAggregation.Mean;

    /// <summary>After an embedder swap, keep the old one loaded so its subjects still verify (else 409 reenrollment_required).</summary>
    public bool KeepLegacyEmbedders { get; set; }
}

/// <summary>Configuration section <c>Quality</c>: capture-quality bounds per decision.</summary>
public sealed class QualitySettings
{
    public IdVerify.Core.Quality.QualityBounds Enrollment { get; set; } = IdVerify.Core.Quality.QualityBounds.Enrollment;

    public IdVerify.Core.Quality.QualityBounds Verification { get; set; } = new();
}

/// <summary>Configuration section <c>Templates</c>.</summary>
public sealed class TemplateSettings
{
    /// <summary>
    /// Base64 of a 32-byte AES key. When set, each enrollment's aligned face crop is kept encrypted beside its template
    /// so templates can be migrated to a new embedder offline. Empty (the default): no face crop is stored.
    /// </summary>
    public string CropKey { get; set; } = "";
}
