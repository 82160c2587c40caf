using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdVerify.Core.Models;

/// <summary>The committed description of every supported model (models/manifest.json).</summary>
public sealed record ModelManifest(int SchemaVersion, ModelDefaults Defaults, IReadOnlyList<ModelEntry> Models)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The committed manifest, plus the operator's registered models from <paramref name="localPath"/> when that file
    /// exists (git-ignored, written by model registration; ids may not collide).
    /// </summary>
    public static ModelManifest Load(string path, string? localPath)
    {
        var manifest = Load(path);
        if (localPath is null || !System.IO.File.Exists(localPath))
        {
            return manifest;
        }

        var local = Load(localPath);
        var clash = local.Models.FirstOrDefault(m => manifest.Models.Any(c => c.Id == m.Id));
        if (clash is not null)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"{localPath} registers '{clash.Id}', which the manifest already has.");
        }

        return manifest with { Models = [.. manifest.Models, .. local.Models] };
    }

    public static ModelManifest Load(string path)
    {
        ModelManifest? manifest;
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model manifest {path} is not valid JSON: {ex.Message}", ex);
        }

        if (manifest is null || manifest.Models is null || manifest.Defaults is null)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model manifest {path} is empty or incomplete.");
        }

        var duplicate = manifest.Models.GroupBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model manifest {path} lists '{duplicate.Key}' twice.");
        }

        return manifest;
    }

    /// <summary>A copy whose embedder <paramref name="embedderId"/> carries <paramref name="calibration"/> instead.</summary>
    public ModelManifest WithCalibration(string embedderId, IReadOnlyList<CalibrationPoint> calibration)
    {
        var embedder = Get(embedderId, ModelRoles.Embedder);
        return this with { Models = Models.Select(m => ReferenceEquals(m, embedder) ? m with { Calibration = calibration } : m).ToList() };
    }

    /// <summary>Writes the manifest atomically (temporary file, then rename), so a crash never leaves half a manifest.</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        System.IO.File.WriteAllText(temporary, JsonSerializer.Serialize(this, JsonOptions) + "\n");
        System.IO.File.Move(temporary, path, overwrite: true);
    }

    public ModelEntry Get(string id, string role)
    {
        var entry = Models.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal))
            ?? throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model '{id}' is not in the manifest.");
        if (!string.Equals(entry.Role, role, StringComparison.Ordinal))
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model '{id}' is a {entry.Role}, not a {role}.");
        }

        return entry;
    }
}
