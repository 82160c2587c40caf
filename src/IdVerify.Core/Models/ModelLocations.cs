namespace IdVerify.Core.Models;

/// <summary>Where the manifest and the model files live, and where missing files are pulled from.</summary>
public sealed record ModelLocations(string ModelDirectory, string? SourceDirectory)
{
    public const string SourceVariable = "IDVERIFY_MODEL_SOURCE";

    public string ManifestPath => Path.Combine(ModelDirectory, "manifest.json");

    /// <summary>Models an operator registered at run time (git-ignored); their files live in custom/ beside it.</summary>
    public string LocalManifestPath => Path.Combine(ModelDirectory, "local-manifest.json");


    /// <summary>The active bundle chosen by a swap or by <c>idverify models use</c>, read at start as configuration.</summary>
    public string ActiveFile => Path.Combine(ModelDirectory, "active.json");

    /// <summary>The committed manifest plus the registered models.</summary>
    public ModelManifest LoadManifest() => ModelManifest.Load(ManifestPath, LocalManifestPath);

    /// <summary>
    /// Writes an embedder's calibration into the file that describes it: the committed manifest for its own
    /// models, the local manifest for registered ones (so registered models never leak into the committed file).
    /// </summary>
    /// <returns>the file written.</returns>
    public string SaveCalibration(string embedderId, IReadOnlyList<CalibrationPoint> calibration)
    {
        var committed = ModelManifest.Load(ManifestPath);
        var path = committed.Models.Any(m => m.Id == embedderId) ? ManifestPath : LocalManifestPath;
        var file = path == ManifestPath ? committed : ModelManifest.Load(path);
        file.WithCalibration(embedderId, calibration).Save(path);
        return path;
    }

    /// <summary>
    /// Finds the models folder: the configured one, else the nearest <c>models/manifest.json</c> above the
    /// working directory or the application. The source defaults to <c>../shared/models</c> beside the
    /// project root, which is where the team's verified copies live.
    /// </summary>
    public static ModelLocations Discover(string? modelDirectory = null, string? sourceDirectory = null)
    {
        var directory = modelDirectory is { Length: > 0 }
            ? Path.GetFullPath(modelDirectory)
            : FindUpwards(Environment.CurrentDirectory) ?? FindUpwards(AppContext.BaseDirectory)
              ?? throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                  "No models/manifest.json found above the working directory; set Models:Directory.");

        var source = sourceDirectory is { Length: > 0 } ? sourceDirectory : Environment.GetEnvironmentVariable(SourceVariable);
        if (source is not { Length: > 0 })
        {
            var shared = Path.GetFullPath(Path.Combine(directory, "..", "..", "shared", "models"));
            source = Directory.Exists(shared) ? shared : null;
        }

        return new ModelLocations(directory, source is null ? null : Path.GetFullPath(source));
    }

    private static string? FindUpwards(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "manifest.json");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate);
            }
        }

        return null;
    }
}
