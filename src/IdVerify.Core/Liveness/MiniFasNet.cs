using System.Numerics;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>A single-frame presentation-attack detector: P(live) for the face in a box.</summary>
public interface ILivenessModel : IDisposable
{
    ModelEntry Model { get; }

    float Score(Image<Rgb24> image, FaceBox box);
}

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
        var max = float.MinValue;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var result = new float[logits.Length];
        var sum = 0f;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = MathF.Exp(logits[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }

    public void Dispose() => session.Dispose();
}

/// <summary>
/// The fused passive liveness check: the mean P(live) of its models against a threshold. The models judge the
/// context around a face (paper edges, screen bezels); a face that fills the frame has none, and on shared/faces
/// such captures (face box wider than 1/1.3 of the frame) were judged fake 51 times in 62 while the rest of the bona
/// fide photos passed 109 times in 121. So those get <see cref="LivenessReasons.InsufficientContext"/> instead of a
/// confident wrong answer.
/// </summary>
public sealed class LivenessChecker(IReadOnlyList<ILivenessModel> models, float threshold, float minContextScale = 1.3f) : IDisposable
{
    public float Threshold { get; } = threshold;

    public float MinContextScale { get; } = minContextScale;

    public string ModelId { get; } = string.Join("+", models.Select(m => m.Model.Id));

    public IReadOnlyList<ILivenessModel> Models { get; } = models;

    public LivenessResult Check(Image<Rgb24> image, FaceBox box)
    {
        var score = (float)Models.Average(m => m.Score(image, box));
        var context = Math.Min(image.Width / box.Width, image.Height / box.Height);
        if (context < MinContextScale)
        {
            return new LivenessResult(false, score, Threshold, LivenessReasons.InsufficientContext);
        }

        return new LivenessResult(score >= Threshold, score, Threshold, score >= Threshold ? null : LivenessReasons.AttackSuspected);
    }

    public void Dispose()
    {
        foreach (var model in Models)
        {
            model.Dispose();
        }
    }
}

public static class LivenessReasons
{
    /// <summary>The face fills the frame: step back so the camera sees around the face.</summary>
    public const string InsufficientContext = "insufficient_context";

    /// <summary>The models judged the capture a presentation attack (print, screen).</summary>
    public const string AttackSuspected = "attack_suspected";

    /// <summary>An active challenge's frames did not pass every check (actions, same person, passive liveness).</summary>
    public const string ChallengeFailed = "challenge_failed";
}

public sealed record LivenessResult(bool Passed, float Score, float Threshold, string? Reason = null);
