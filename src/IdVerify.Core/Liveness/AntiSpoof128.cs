using System.Numerics;
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
        var size = input.Width;
        var side = cropScale * Math.Max(box.Width, box.Height);
        var scale = side / size;
        var left = box.CenterX - (side / 2);
        var top = box.CenterY - (side / 2);
        var outputToSource = new Matrix3x2(scale, 0, 0, scale, left + (0.5f * scale) - 0.5f, top + (0.5f * scale) - 0.5f);
        var crop = new Rgb24[size * size];
        AffineSampler.Sample(PixelTensor.PixelsOf(image).Span, image.Width, image.Height, outputToSource, crop, size, size, replicateBorder: false);

        var tensor = new float[3 * size * size];
        PixelTensor.Write(crop, size, tensor, input);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, size, size]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [inputValue], [outputName]);
        return MiniFasNet.Softmax(outputs[0].GetTensorDataAsSpan<float>())[liveClass];
    }

    public void Dispose() => session.Dispose();
}
