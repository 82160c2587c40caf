namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Models</c>: where models live and which serve each role (empty = manifest default).</summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

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

    /// <summary>Pull only from the source folder, never from the manifest's origin URLs (air-gapped sites).</summary>
    public bool Offline { get; set; }
}
