using IdVerify.Core.Detection;
using IdVerify.Core.Embedding;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;

namespace IdVerify.Core.Pipeline;

/// <summary>
/// The one place a manifest family becomes a model class: the pipeline loader and model registration both open
/// models through it, so a family the pipeline can run is exactly a family registration accepts.
/// </summary>
public static class FaceModelFactory
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Families = new Dictionary<string, IReadOnlyList<string>>
    {
        [ModelRoles.Detector] = ["yunet", "scrfd", "retinaface"],
        [ModelRoles.Embedder] = ["arcface112"],
        [ModelRoles.Liveness] = ["minifasnet", "antispoof128"],
        [ModelRoles.Landmarks] = ["pfld68"],
    };

    public static IFaceDetector CreateDetector(ModelEntry entry, string path, DetectorOptions options, SessionOptions session) =>
        Require(entry, ModelRoles.Detector) switch
        {
            "scrfd" => new ScrfdDetector(entry, path, options, session),
            "retinaface" => new RetinaFaceDetector(entry, path, options, session),
            _ => new YuNetDetector(entry, path, options, session),
        };

    public static FaceEmbedder CreateEmbedder(ModelEntry entry, string path, SessionOptions session)
    {
        Require(entry, ModelRoles.Embedder);
        return new FaceEmbedder(entry, path, session);
    }

    public static ILivenessModel CreateLivenessModel(ModelEntry entry, string path, SessionOptions session) =>
        Require(entry, ModelRoles.Liveness) == "antispoof128"
            ? new AntiSpoof128(entry, path, session)
            : new MiniFasNet(entry, path, session);

    public static EyeLandmarks CreateEyeLandmarks(ModelEntry entry, string path, SessionOptions session)
    {
        Require(entry, ModelRoles.Landmarks);
        return new EyeLandmarks(entry, path, session);
    }

    /// <summary>Throws model_unavailable when no class runs this entry's family for its role.</summary>
    public static string Require(ModelEntry entry, string role)
    {
        if (entry.Role != role || !Families.TryGetValue(role, out var families) || !families.Contains(entry.Family, StringComparer.Ordinal))
        {
            var supported = Families.TryGetValue(role, out var known) ? string.Join(" or ", known) : "nothing";
            throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                $"Model '{entry.Id}' is of family '{entry.Family}' for role '{entry.Role}'; this pipeline runs {supported} for the {role} role.");
        }

        return entry.Family;
    }
}
