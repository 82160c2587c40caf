using System.Numerics;
using System.Numerics.Tensors;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>
/// One Silent-Face MiniFASNet model (family <c>minifasnet</c>): a context crop of the detector box scaled
/// by the model's factor, resized to 80×80, BGR 0–255; returns the softmax probability of the live class.
/// </summary>
public sealed class MiniFasNet : ILivenessModel
{
    private readonly InferenceSession session;
    private readonly ModelInput input;
    private readonly string outputName;
    private readonly float cropScale;
    private readonly int liveClass;

    public MiniFasNet(ModelEntry entry, string modelPath, SessionOptions sessionOptions)
    {
        Model = entry;
        input = entry.Input;
        cropScale = entry.CropScale ?? throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Liveness model '{entry.Id}' has no cropScale.");
        liveClass = entry.LiveClass ?? 1;
        session = new InferenceSession(modelPath, sessionOptions);
        outputName = session.OutputMetadata.Keys.Single();
        if (!session.InputMetadata.ContainsKey(input.Name))
        {
            session.Dispose();
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model '{entry.Id}' has no input named '{input.Name}'.");
        }
    }

    public ModelEntry Model { get; }

    /// <summary>P(live) for the face in <paramref name="box"/>.</summary>
    public float Score(Image<Rgb24> image, FaceBox box)
    {
        var (left, top, right, bottom) = ContextBox(image.Width, image.Height, box, cropScale);

        // cv2.resize of img[top:bottom+1, left:right+1], half-pixel centres.
        var sx = (right - left + 1) / (float)input.Width;
        var sy = (bottom - top + 1) / (float)input.Height;
        var outputToSource = new Matrix3x2(sx, 0, 0, sy, left + (0.5f * sx) - 0.5f, top + (0.5f * sy) - 0.5f);
        return Softmax(CropInference.Run(session, input.Name, outputName, input, image, outputToSource, replicateBorder: true))[liveClass];
    }

    /// <summary>
    /// The Silent-Face reference crop (CropImage._get_new_box): the box scaled about its centre, the factor
    /// shrunk when the scaled box would exceed the frame, then shifted inside the frame.
    /// </summary>
    public static (int Left, int Top, int Right, int Bottom) ContextBox(int imageWidth, int imageHeight, FaceBox box, float scale)
    {
        scale = Math.Min((imageHeight - 1) / box.Height, Math.Min((imageWidth - 1) / box.Width, scale));
        var newWidth = box.Width * scale;
        var newHeight = box.Height * scale;
        var left = box.CenterX - (newWidth / 2);
        var top = box.CenterY - (newHeight / 2);
        var right = box.CenterX + (newWidth / 2);
        var bottom = box.CenterY + (newHeight / 2);
        if (left < 0)
        {
            right -= left;
            left = 0;
        }

        if (top < 0)
        {
            bottom -= top;
            top = 0;
        }

        if (right > imageWidth - 1)
        {
            left -= right - imageWidth + 1;
            right = imageWidth - 1;
        }

        if (bottom > imageHeight - 1)
        {
            top -= bottom - imageHeight + 1;
            bottom = imageHeight - 1;
        }

        return ((int)Math.Max(0, left), (int)Math.Max(0, top), (int)right, (int)bottom);
    }

    internal static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var result = new float[logits.Length];
        TensorPrimitives.SoftMax(logits, result);
        return result;
    }

    public void Dispose() => session.Dispose();
}
