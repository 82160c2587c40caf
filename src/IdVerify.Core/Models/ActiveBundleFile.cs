using System.Text.Json;
using System.Text.Json.Nodes;

namespace IdVerify.Core.Models;

/// <summary>
/// models/active.json: the bundle a swap (or <c>idverify models use</c>) activated, in configuration shape
/// (<c>Models:Detector</c>, ...), so the service reads it at start and a restart serves the same models.
/// </summary>
public static class ActiveBundleFile
{
    public static void Save(string path, ModelBundle bundle)
    {
        var node = new JsonObject
        {
            ["Models"] = new JsonObject
            {
                ["Detector"] = bundle.DetectorId,
                ["Embedder"] = bundle.EmbedderId,
                ["Liveness"] = new JsonArray([.. bundle.LivenessIds.Select(id => (JsonNode)id!)]),
                ["LegacyEmbedders"] = new JsonArray([.. (bundle.LegacyEmbedderIds ?? []).Select(id => (JsonNode)id!)]),
            },
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The saved bundle, or null when none was saved.</summary>
    public static ModelBundle? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var models = JsonNode.Parse(File.ReadAllText(path))?["Models"];
        if (models is null)
        {
            return null;
        }

        static string[] Ids(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
        return new ModelBundle(models["Detector"]!.GetValue<string>(), models["Embedder"]!.GetValue<string>(), Ids(models["Liveness"]), null,
            Ids(models["LegacyEmbedders"]));
    }
}
