using System.Collections.Concurrent;
using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Detection;

/// <summary>
/// RetinaFace-MobileNet0.25 (biubug6/Pytorch_Retinaface, family <c>retinaface</c>), BGR minus the means (104, 117, 123);
/// two priors per cell at steps 8/16/32, decoded as the reference's <c>box_utils.decode</c> / <c>decode_landm</c> do with
/// variances 0.1 and 0.2. A graph with a fixed square input (the original export) gets the photo letterboxed into it; one
/// with free height and width (the <see cref="ModelRewrites.DynamicInput"/> file the bundle runs) gets the photo at its
/// own aspect, long side at most <see cref="DetectorOptions.MaxSide"/> (<see cref="DefaultMaxSide"/>), padded to a multiple of 32
/// and to at least <see cref="MinFreeSide"/>.
/// </summary>
public sealed class RetinaFaceDetector : IFaceDetector
{
    /// <summary>
    /// 640, the size the model was trained and shipped at. Smaller cost accuracy on the dev pairs (eval, 99 photos,
    /// 132 genuine / 4,719 impostor pairs): the lowest genuine score fell from 0.393 at 640 to 0.362 at 480 (EER
    /// 0.00% → 0.01%) and 0.318 at 320 (EER 0.05%, FNMR 1.52% at FMR 1e-3); on 640×480 frames the landmarks moved by
    /// a median 10% (480) and 12% (320) of the inter-eye distance from 640's.
    /// </summary>
    public const int DefaultMaxSide = 640;

    /// <summary>
    /// The smallest free input side: the deepest features see about 300 px, so a small photo needs a margin of padding to
    /// answer as it did letterboxed into 640×640 (a 150×150 tight crop: the box's top edge at −1.4 px letterboxed, +1.1 px
    /// on a 160 canvas, −1.4 px again from 256 up, the same to the digit from 320).
    /// </summary>
    private const int MinFreeSide = 320;

    private const float CentreVariance = 0.1f;
    private const float SizeVariance = 0.2f;
    private static readonly (int Step, int[] MinSizes)[] PriorLayout = [(8, [16, 32]), (16, [64, 128]), (32, [256, 512])];

    // biubug6's training means, BGR order; the manifest's single mean cannot say three.
    private static readonly float[] MeansBgr = [104f, 117f, 123f];

    private readonly InferenceSession session;
    private readonly DetectorOptions options;
    private readonly string inputName;
    private readonly int? fixedSize;
    private readonly ConcurrentDictionary<(int Width, int Height), float[]> priors = new();

    public RetinaFaceDetector(ModelEntry entry, string modelPath, DetectorOptions options, SessionOptions sessionOptions)
    {
        ModelId = entry.Id;
        this.options = options;
        inputName = entry.Input.Name;
        session = new InferenceSession(modelPath, sessionOptions);
        var outputs = session.OutputMetadata;
        var dims = session.InputMetadata.TryGetValue(inputName, out var input) ? input.Dimensions : [];
        fixedSize = dims is [_, _, > 0 and var h, > 0 and var w] && h == w ? w : null;
        int? count = fixedSize is { } size ? PriorsOf(size, size).Length / 4 : null;
        if (dims.Length != 4 || (fixedSize is null && (dims[2] > 0 || dims[3] > 0))
            || !new[] { ("output0", 4), ("output1", 2), ("output2", 10) }.All(o =>
                outputs.TryGetValue(o.Item1, out var meta) && meta.Dimensions[^1] == o.Item2 && meta.Dimensions[^2] == (count ?? -1)))
        {
            session.Dispose();
            throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                $"Model '{entry.Id}' is not a RetinaFace graph with a square or free input {inputName} and outputs output0/1/2 over its priors.");
        }
    }

    public string ModelId { get; }

    public IReadOnlyList<DetectedFace> Detect(Image<Rgb24> image)
    {
        var limit = fixedSize ?? options.MaxSide ?? DefaultMaxSide;
        using var fitted = DetectorInput.Fit(image, limit, limit);
        var width = fixedSize ?? Math.Max(MinFreeSide, (fitted.Width + 31) / 32 * 32);
        var height = fixedSize ?? Math.Max(MinFreeSide, (fitted.Height + 31) / 32 * 32);

        // The padding is zero after the means are taken: the mean colour, as the letterbox always was.
        var plane = width * height;
        using var tensor = new PooledTensor([1, 3, height, width]);
        var span = tensor.Span;
        var pixels = fitted.Pixels;
        for (var y = 0; y < fitted.Height; y++)
        {
            var row = pixels.Slice(y * fitted.Width, fitted.Width);
            var offset = y * width;
            for (var x = 0; x < row.Length; x++)
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
        var faces = Decode(priors.GetOrAdd((width, height), s => PriorsOf(s.Width, s.Height)), outputs[0].GetTensorDataAsSpan<float>(),
            outputs[1].GetTensorDataAsSpan<float>(), outputs[2].GetTensorDataAsSpan<float>(), 1f / fitted.Scale);
        return NonMaximumSuppression.Apply(faces, options.NmsThreshold, options.TopK);
    }

    /// <summary>Decodes every prior scoring at least the threshold; <paramref name="toSource"/> maps input pixels to source pixels.</summary>
    private List<DetectedFace> Decode(float[] priors, ReadOnlySpan<float> loc, ReadOnlySpan<float> conf, ReadOnlySpan<float> landm, float toSource)
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

    /// <summary>The reference's <c>PriorBox</c>: per step, rows, then columns, then min sizes; (cx, cy, w, h) in input pixels.</summary>
    internal static float[] PriorsOf(int width, int height)
    {
        var priors = new List<float>();
        foreach (var (step, minSizes) in PriorLayout)
        {
            var (rows, cols) = ((int)Math.Ceiling(height / (double)step), (int)Math.Ceiling(width / (double)step));
            for (var row = 0; row < rows; row++)
            {
                for (var col = 0; col < cols; col++)
                {
                    foreach (var minSize in minSizes)
                    {
                        priors.Add((col + 0.5f) * step);
                        priors.Add((row + 0.5f) * step);
                        priors.Add(minSize);
                        priors.Add(minSize);
                    }
                }
            }
        }

        return [.. priors];
    }

    public void Dispose() => session.Dispose();
}
