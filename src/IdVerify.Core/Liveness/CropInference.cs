using System.Numerics;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Liveness;

/// <summary>The shared step of the crop models (liveness, landmarks): sample a region, fill the tensor, run, read the output.</summary>
internal static class CropInference
{
    /// <summary>A square of <paramref name="side"/> source pixels centred on (<paramref name="centerX"/>, <paramref name="centerY"/>), scaled to <paramref name="size"/>.</summary>
    public static Matrix3x2 Square(float centerX, float centerY, float side, int size)
    {
        var scale = side / size;
        return new Matrix3x2(scale, 0, 0, scale, centerX - (side / 2) + (0.5f * scale) - 0.5f, centerY - (side / 2) + (0.5f * scale) - 0.5f);
    }

    public static float[] Run(InferenceSession session, string inputName, string outputName, ModelInput input, Image<Rgb24> image,
        Matrix3x2 outputToSource, bool replicateBorder)
    {
        int width = input.Width, height = input.Height;
        var crop = new Rgb24[width * height];
        AffineSampler.Sample(PixelTensor.PixelsOf(image).Span, image.Width, image.Height, outputToSource, crop, width, height, replicateBorder);
        // Pooled as the other models' inputs are: PFLD-68's 150 KB would land on the large object heap on every request.
        using var tensor = new PooledTensor([1, 3, height, width], clear: false);
        PixelTensor.Write(crop, width, tensor.Span, input);
        using var inputValue = tensor.ToOrtValue();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [inputValue], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
