using System.Numerics.Tensors;
using IdVerify.Core.Alignment;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Embedding;

/// <summary>
/// An ArcFace-style embedder (family <c>arcface112</c>): 112×112 aligned faces in, an L2-normalised vector
/// out. Models with a dynamic batch run several faces in one call.
/// </summary>
public sealed class FaceEmbedder : IDisposable
{
    private readonly InferenceSession session;
    private readonly ModelInput input;
    private readonly string outputName;
    private readonly bool dynamicBatch;

    public FaceEmbedder(ModelEntry entry, string modelPath, SessionOptions sessionOptions)
    {
        Model = entry;
        input = entry.Input;
        session = new InferenceSession(modelPath, sessionOptions);
        try
        {
            if (!session.InputMetadata.TryGetValue(input.Name, out var meta) || meta.Dimensions.Length != 4)
            {
                throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model '{entry.Id}' has no 4-D input named '{input.Name}'.");
            }

            dynamicBatch = meta.Dimensions[0] < 0;
            var output = session.OutputMetadata.Single();
            outputName = output.Key;
            Dimensions = output.Value.Dimensions[^1];
            if (Dimensions <= 0 || (entry.Dimensions is { } expected && expected != Dimensions))
            {
                throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                    $"Model '{entry.Id}' outputs {Dimensions} values; the manifest says {entry.Dimensions}.");
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public ModelEntry Model { get; }

    public int Dimensions { get; }

    public float[] Embed(AlignedFace face) => Embed([face])[0];

    /// <summary>The face and its mirror image embedded, added and normalised (flip fusion, measured by <c>eval --flip-fusion</c>).</summary>
    public float[] EmbedFlipFused(AlignedFace face)
    {
        var mirrored = new Rgb24[face.Pixels.Length];
        for (var y = 0; y < AlignedFace.Size; y++)
        {
            var row = face.Pixels.AsSpan(y * AlignedFace.Size, AlignedFace.Size);
            row.CopyTo(mirrored.AsSpan(y * AlignedFace.Size, AlignedFace.Size));
            mirrored.AsSpan(y * AlignedFace.Size, AlignedFace.Size).Reverse();
        }

        var both = Embed([face, face with { Pixels = mirrored }]);
        TensorPrimitives.Add(both[0], both[1], both[0]);
        return Normalize(both[0]);
    }

    public float[][] Embed(IReadOnlyList<AlignedFace> faces)
    {
        if (!dynamicBatch && faces.Count > 1)
        {
            return faces.Select(f => Embed([f])[0]).ToArray();
        }

        const int plane = AlignedFace.Size * AlignedFace.Size;
        using var tensor = new PooledTensor([faces.Count, 3, AlignedFace.Size, AlignedFace.Size], clear: false);
        for (var i = 0; i < faces.Count; i++)
        {
            PixelTensor.Write(faces[i].Pixels, AlignedFace.Size, tensor.Span.Slice(i * 3 * plane, 3 * plane), input);
        }

        var result = new float[faces.Count * Dimensions];
        using var inputValue = tensor.ToOrtValue();
        using var outputValue = OrtValue.CreateTensorValueFromMemory(result, [faces.Count, Dimensions]);
        using var runOptions = new RunOptions();
        session.Run(runOptions, [input.Name], [inputValue], [outputName], [outputValue]);

        return Enumerable.Range(0, faces.Count)
            .Select(i => Normalize(result.AsSpan(i * Dimensions, Dimensions)))
            .ToArray();
    }

    internal static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        var normalized = vector.ToArray();
        if (norm > 0)
        {
            TensorPrimitives.Divide(normalized, norm, normalized);
        }

        return normalized;
    }

    public void Dispose() => session.Dispose();
}
