using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>
/// The hairymax MiniFASNetV2 retrained on CelebA-Spoof (family <c>antispoof128</c>; no licence: evaluation
/// only): a square crop of 1.5 × max(w, h) about the box centre, black outside the frame, 128×128 RGB / 255;
/// softmax over two classes, class 0 = live.
/// </summary>
public sealed class AntiSpoof128 : ILivenessModel
{
    private readonly InferenceSession session;
    private readonly ModelInput input;
    private readonly string inputName;
    private readonly string outputName;
    private readonly float cropScale;
    private readonly int liveClass;

    public AntiSpoof128(ModelEntry entry, string modelPath, SessionOptions sessionOptions)
    {
        Model = entry;
        input = entry.Input;
        cropScale = entry.CropScale ?? 1.5f;
        liveClass = entry.LiveClass ?? 0;
        session = new InferenceSession(modelPath, sessionOptions);
        inputName = input.Name is { Length: > 0 } name ? name : session.InputMetadata.Keys.Single();
        outputName = session.OutputMetadata.Keys.Single();
    }

    public ModelEntry Model { get; }

    public float Score(Image<Rgb24> image, FaceBox box)
    {
        var side = cropScale * Math.Max(box.Width, box.Height);
        var outputToSource = CropInference.Square(box.CenterX, box.CenterY, side, input.Width);
        return MiniFasNet.Softmax(CropInference.Run(session, inputName, outputName, input, image, outputToSource, replicateBorder: false))[liveClass];
    }

    public void Dispose() => session.Dispose();
}
