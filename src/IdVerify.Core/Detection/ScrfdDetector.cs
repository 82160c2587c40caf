using IdVerify.Core.Imaging;
using IdVerify.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Detection;

/// <summary>
/// InsightFace SCRFD (family <c>scrfd</c>): the photo letterboxed into a square input, RGB (x − 127.5) / 128; per
/// stride 8/16/32 scores, box distances and landmark offsets for two anchors per cell, scaled by the stride.
/// </summary>
public sealed class ScrfdDetector : IFaceDetector
{
    private const int AnchorsPerCell = 2;
    private readonly InferenceSession session;
    private readonly DetectorOptions options;
    private readonly ModelInput input;
    private readonly int size;
    private readonly (int Stride, string Scores, string Boxes, string Landmarks)[] heads;

    public ScrfdDetector(ModelEntry entry, string modelPath, DetectorOptions options, SessionOptions sessionOptions)
    {
        ModelId = entry.Id;
        this.options = options;
        input = entry.Input;
        size = entry.Input.Width > 0 ? entry.Input.Width : 640;
        session = new InferenceSession(modelPath, sessionOptions);
        try
        {
            // Outputs are told apart by their last dimension (1 score, 4 box, 10 landmarks) and their stride by their length.
            var outputs = session.OutputMetadata.Select(o => (o.Key, Rows: o.Value.Dimensions[^2], Width: o.Value.Dimensions[^1])).ToList();
            heads = [.. new[] { 8, 16, 32 }.Select(stride =>
            {
                var rows = size / stride * (size / stride) * AnchorsPerCell;
                string Find(int width) => outputs.Single(o => o.Rows == rows && o.Width == width).Key;
                return (stride, Find(1), Find(4), Find(10));
            })];
        }
        catch (InvalidOperationException ex)
        {
            session.Dispose();
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, $"Model '{entry.Id}' does not have SCRFD's 9 outputs at {size}×{size}.", ex);
        }
    }

    public string ModelId { get; }

    public IReadOnlyList<DetectedFace> Detect(Image<Rgb24> image)
    {
        using var fitted = DetectorInput.Fit(image, size, size);

        var plane = size * size;
        using var tensor = new PooledTensor([1, 3, size, size], clear: false);
        tensor.Span.Fill((0 - input.Mean) * input.Scale);
        var pixels = fitted.Pixels;
        for (var y = 0; y < fitted.Height; y++)
        {
            PixelTensor.WriteRow(pixels.Slice(y * fitted.Width, fitted.Width), tensor.Span, plane, y * size, input);
        }

        using var inputValue = tensor.ToOrtValue();
        using var runOptions = new RunOptions();
        var names = heads.SelectMany(h => new[] { h.Scores, h.Boxes, h.Landmarks }).ToArray();
        using var outputs = session.Run(runOptions, [input.Name], [inputValue], names);

        var faces = new List<DetectedFace>();
        var unscale = 1f / fitted.Scale;
        for (var h = 0; h < heads.Length; h++)
        {
            var stride = heads[h].Stride;
            var scores = outputs[3 * h].GetTensorDataAsSpan<float>();
            var boxes = outputs[(3 * h) + 1].GetTensorDataAsSpan<float>();
            var points = outputs[(3 * h) + 2].GetTensorDataAsSpan<float>();
            var cols = size / stride;
            for (var i = 0; i < scores.Length; i++)
            {
                if (scores[i] < options.ScoreThreshold)
                {
                    continue;
                }

                var cell = i / AnchorsPerCell;
                float cx = cell % cols * stride, cy = cell / cols * stride;
                var x1 = cx - (boxes[4 * i] * stride);
                var y1 = cy - (boxes[(4 * i) + 1] * stride);
                var x2 = cx + (boxes[(4 * i) + 2] * stride);
                var y2 = cy + (boxes[(4 * i) + 3] * stride);
                var landmarks = new Point2[5];
                for (var k = 0; k < 5; k++)
                {
                    landmarks[k] = new Point2((cx + (points[(10 * i) + (2 * k)] * stride)) * unscale, (cy + (points[(10 * i) + (2 * k) + 1] * stride)) * unscale);
                }

                faces.Add(new DetectedFace(new FaceBox(x1 * unscale, y1 * unscale, (x2 - x1) * unscale, (y2 - y1) * unscale), landmarks, scores[i]));
            }
        }

        return NonMaximumSuppression.Apply(faces, options.NmsThreshold, options.TopK);
    }

    public void Dispose() => session.Dispose();
}
