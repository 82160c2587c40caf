using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IdVerify.Core.Detection;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;

namespace IdVerify.Core.Pipeline;

/// <summary>
/// Registers an operator's ONNX file as a new manifest model after checking it: it opens, its inputs and outputs
/// have the shapes its family needs, and it runs on a real face (the probe photo) with a sane result.
/// </summary>
public static partial class ModelRegistration
{
    /// <summary>Roles an operator may register a model for (landmark models are not swappable at run time).</summary>
    private static readonly string[] Roles = [ModelRoles.Detector, ModelRoles.Embedder, ModelRoles.Liveness];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public static ModelEntry Register(ModelManifest manifest, ModelEntry description, byte[] onnx, byte[] probe, FacePipeline current,
        string localManifestPath, string customDirectory)
    {
        if (!IdPattern().IsMatch(description.Id))
        {
            throw Rejected("the id must be 2–64 characters of a–z, 0–9, '.', '_' and '-'.");
        }

        if (manifest.Models.Any(m => m.Id == description.Id))
        {
            throw Rejected($"a model with id '{description.Id}' is already registered.");
        }

        if (!Roles.Contains(description.Role) || !FaceModelFactory.Families[description.Role].Contains(description.Family))
        {
            throw Rejected($"role '{description.Role}' with family '{description.Family}' is not supported; supported: " +
                string.Join("; ", Roles.Select(r => $"{r}: {string.Join(", ", FaceModelFactory.Families[r])}")) + ".");
        }

        Directory.CreateDirectory(customDirectory);
        var path = Path.Combine(customDirectory, description.Id + ".onnx");
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        File.WriteAllBytes(partial, onnx);
        var entry = description with
        {
            File = Path.GetFullPath(path),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            Bytes = onnx.Length,
            Origins = description.Origins ?? [],
        };

        try
        {
            Check(entry, partial, probe, current);
            File.Move(partial, path, overwrite: false);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }

        var local = File.Exists(localManifestPath) ? ModelManifest.Load(localManifestPath) : manifest with { Models = [] };
        (local with { Models = [.. local.Models, entry] }).Save(localManifestPath);
        return entry;
    }

    private static void Check(ModelEntry entry, string path, byte[] probe, FacePipeline current)
    {
        using var sessionOptions = new SessionOptions();
        using var image = current.Decoder.Decode(probe);
        var face = FaceSelector.Select(current.Detector.Detect(image.Image), current.Options.Selection, image.Width, image.Height);
        try
        {
            switch (entry.Role)
            {
                case ModelRoles.Detector:
                    {
                        using var detector = FaceModelFactory.CreateDetector(entry, path, current.Options.Detector, sessionOptions);
                        if (detector.Detect(image.Image).Count == 0)
                        {
                            throw Rejected("it found no face in the probe photo.");
                        }

                        break;
                    }

                case ModelRoles.Embedder:
                    {
                        using var embedder = FaceModelFactory.CreateEmbedder(entry, path, sessionOptions);
                        var vector = embedder.Embed(Alignment.FaceAligner.Align(image.Image, face.Landmarks));
                        if (vector.Any(v => !float.IsFinite(v)) || Math.Abs(Matching.Similarity.Cosine(vector, vector) - 1) > 1e-3)
                        {
                            throw Rejected("its output on the probe face is not a usable embedding.");
                        }

                        break;
                    }

                default:
                    {
                        using var model = FaceModelFactory.CreateLivenessModel(entry, path, sessionOptions);
                        var score = model.Score(image.Image, face.Box);
                        if (!float.IsFinite(score) || score is < 0 or > 1)
                        {
                            throw Rejected($"its liveness score on the probe face is {score}, not a probability.");
                        }

                        break;
                    }
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw Rejected($"ONNX Runtime cannot use it as a {entry.Family} model: {ex.Message}");
        }
        catch (IdVerifyException ex) when (ex.Code != ErrorCodes.ModelRejected)
        {
            throw Rejected(ex.Message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IndexOutOfRangeException or ArgumentException)
        {
            throw Rejected($"its inputs or outputs do not have the shapes a {entry.Family} model needs: {ex.Message}");
        }
    }

    private static IdVerifyException Rejected(string why) => new(ErrorCodes.ModelRejected, "Model refused: " + why);
}
