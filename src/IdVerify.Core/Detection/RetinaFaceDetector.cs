using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Detection;

/// <summary>
/// RetinaFace-MobileNet0.25 (biubug6/Pytorch_Retinaface, family <c>retinaface</c>): the photo letterboxed into the
/// fixed square input, BGR minus the means (104, 117, 123); 16,800 priors (two per cell at steps 8/16/32), decoded
/// as the reference's <c>box_utils.decode</c> / <c>decode_landm</c> do with variances 0.1 and 0.2.
/// </summary>
public sealed class RetinaFaceDetector : IFaceDetector
{
    private const float CentreVariance = 0.1f;
    private const float SizeVariance = 0.2f;
    private static readonly (int Step, int[] MinSizes)[] PriorLayout = [(8, [16, 32]), (16, [64, 128]), (32, [256, 512])];

    // biubug6's training means, BGR order; the manifest's single mean cannot say three.
    private static readonly float[] MeansBgr = [104f, 117f, 123f];

    private readonly InferenceSession session;
    private readonly DetectorOptions options;
    private readonly string inputName;
    private readonly int size;
    private readonly float[] priors;

    public RetinaFaceDetector(ModelEntry entry, string modelPath, DetectorOptions options, SessionOptions sessionOptions)
    {
        ModelId = entry.Id;
        this.options = options;
        inputName = entry.Input.Name;
        size = entry.Input.Width > 0 ? entry.Input.Width : 640;
        priors = Priors(size);
        session = new InferenceSession(modelPath, sessionOptions);
        var outputs = session.OutputMetadata;
        var count = priors.Length / 4;
        if (!session.InputMetadata.ContainsKey(inputName)
            || !new[] { ("output0", 4), ("output1", 2), ("output2", 10) }.All(o =>
                outputs.TryGetValue(o.Item1, out var meta) && meta.Dimensions[^1] == o.Item2 && meta.Dimensions[^2] == count))
        {
            session.Dispose();
            throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                $"Model '{entry.Id}' is not a RetinaFace graph with input {inputName} and outputs output0/1/2 over {count} priors at {size}×{size}.");
        }
    }

    public string ModelId { get; }

    public IReadOnlyList<DetectedFace> Detect(Image<Rgb24> image)
    {
        using var resized = SquareInputFit.Shrink(image, size, out var width, out var height);
        var source = resized ?? image;

        var plane = size * size;
        using var tensor = new PooledTensor([1, 3, size, size]);
        var span = tensor.Span;
        var pixels = PixelTensor.PixelsOf(source).Span;
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * width, width);
            var offset = y * size;
            for (var x = 0; x < width; x++)
            {
                var p = row[x];
                span[offset + x] = p.B - MeansBgr[0];
                span[plane + offset + x] = p.G - MeansBgr[1];
                span[(2 * plane) + offset + x] = p.R - MeansBgr[2];
            }
        }

        using var inputValue = tensor.ToOrtValue();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [inputValue], ["output0", "output1", "output2"]);
        var faces = Decode(outputs[0].GetTensorDataAsSpan<float>(), outputs[1].GetTensorDataAsSpan<float>(),
            outputs[2].GetTensorDataAsSpan<float>(), size / (width / (float)image.Width));
        return NonMaximumSuppression.Apply(faces, options.NmsThreshold, options.TopK);
    }

    /// <summary>Decodes every prior scoring at least the threshold; <paramref name="toSource"/> maps the unit square to source pixels.</summary>
    private List<DetectedFace> Decode(ReadOnlySpan<float> loc, ReadOnlySpan<float> conf, ReadOnlySpan<float> landm, float toSource)
    {
        var faces = new List<DetectedFace>();
        for (var i = 0; i < priors.Length / 4; i++)
        {
            var score = conf[(2 * i) + 1];
            if (score < options.ScoreThreshold)
            {
                continue;
            }

            float px = priors[4 * i], py = priors[(4 * i) + 1], pw = priors[(4 * i) + 2], ph = priors[(4 * i) + 3];
            var cx = px + (loc[4 * i] * CentreVariance * pw);
            var cy = py + (loc[(4 * i) + 1] * CentreVariance * ph);
            var w = pw * MathF.Exp(loc[(4 * i) + 2] * SizeVariance);
            var h = ph * MathF.Exp(loc[(4 * i) + 3] * SizeVariance);
            var landmarks = new Point2[5];
            for (var k = 0; k < 5; k++)
            {
                landmarks[k] = new Point2(
                    (px + (landm[(10 * i) + (2 * k)] * CentreVariance * pw)) * toSource,
                    (py + (landm[(10 * i) + (2 * k) + 1] * CentreVariance * ph)) * toSource);
            }

            var box = new FaceBox((cx - (w / 2)) * toSource, (cy - (h / 2)) * toSource, w * toSource, h * toSource);
            faces.Add(new DetectedFace(box, landmarks, score));
        }

        return faces;
    }

    /// <summary>The reference's <c>PriorBox</c>: per step, rows, then columns, then min sizes; (cx, cy, w, h) in units of the input.</summary>
    internal static float[] Priors(int size)
    {
        var priors = new List<float>();
        foreach (var (step, minSizes) in PriorLayout)
        {
            var cells = (int)Math.Ceiling(size / (double)step);
            for (var row = 0; row < cells; row++)
            {
                for (var col = 0; col < cells; col++)
                {
                    foreach (var minSize in minSizes)
                    {
                        priors.Add((col + 0.5f) * step / size);
                        priors.Add((row + 0.5f) * step / size);
                        priors.Add(minSize / (float)size);
                        priors.Add(minSize / (float)size);
                    }
                }
            }
        }

        return [.. priors];
    }

    public void Dispose() => session.Dispose();
}
