using System.Diagnostics;
using IdVerify.Core.Alignment;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace IdVerify.Cli.Bench;

/// <summary>
/// The peer we measure against: the same models run the way an OpenCV application would run them — imdecode,
/// FaceDetectorYN (plus OpenCV DNN for PFLD-68 when the pipeline refines the five points), estimateAffinePartial2D +
/// warpAffine, and OpenCV DNN for the embedder and both MiniFASNets.
/// </summary>
public sealed class OpenCvReferencePipeline : IDisposable
{
    private readonly Dictionary<Size, FaceDetectorYN> detectors = [];
    private readonly string detectorPath;
    private readonly Net embedder;
    private readonly ModelEntry embedderEntry;
    private readonly (Net Net, ModelEntry Entry)[] liveness;
    private readonly Net? landmarks;
    private readonly int maxSide;

    /// <param name="landmarksEntry">PFLD-68, when the pipeline aligns on its five points (Alignment:RefineLandmarks).</param>
    public OpenCvReferencePipeline(ModelStore store, ModelEntry detectorEntry, ModelEntry embedderEntry, IReadOnlyList<ModelEntry> livenessEntries,
        ModelEntry? landmarksEntry, int maxSide)
    {
        this.maxSide = maxSide;
        landmarks = landmarksEntry is null
            ? null
            : CvDnn.ReadNetFromOnnx(store.PathOf(landmarksEntry)) ?? throw new InvalidOperationException("OpenCV DNN cannot read the landmark model.");
        this.embedderEntry = embedderEntry;
        detectorPath = store.PathOf(detectorEntry);
        embedder = CvDnn.ReadNetFromOnnx(store.PathOf(embedderEntry)) ?? throw new InvalidOperationException("OpenCV DNN cannot read the embedder.");
        liveness = [.. livenessEntries.Select(e => (CvDnn.ReadNetFromOnnx(store.PathOf(e)) ?? throw new InvalidOperationException($"OpenCV DNN cannot read {e.Id}."), e))];
    }

    public sealed record Timings(double Decode, double Detect, double Align, double Embed, double Liveness, double Total);

    public Timings Run(byte[] bytes)
    {
        var clock = Stopwatch.StartNew();
        using var image = Cv2.ImDecode(bytes, ImreadModes.Color);
        var decode = clock.Elapsed.TotalMilliseconds;

        var scale = Math.Min(1.0, maxSide / (double)Math.Max(image.Width, image.Height));
        using var small = scale < 1 ? image.Resize(new Size(0, 0), scale, scale, InterpolationFlags.Linear) : image.Clone();
        // OpenCvSharp has no setInputSize: one detector per frame size (a kiosk camera has one).
        if (!detectors.TryGetValue(small.Size(), out var detector))
        {
            detector = FaceDetectorYN.Create(detectorPath, "", small.Size(), 0.6f, 0.3f, 5000);
            detectors[small.Size()] = detector;
        }

        using var faces = new Mat();
        detector.Detect(small, faces);
        if (faces.Rows == 0)
        {
            throw new InvalidOperationException("OpenCV found no face.");
        }

        var row = Enumerable.Range(0, faces.Rows).MaxBy(r => faces.At<float>(r, 2) * faces.At<float>(r, 3));
        float F(int c) => (float)(faces.At<float>(row, c) / scale);
        var box = new IdVerify.Core.Imaging.FaceBox(F(0), F(1), F(2), F(3));
        var source = landmarks is null
            ? Enumerable.Range(0, 5).Select(k => new Point2f(F(4 + (2 * k)), F(5 + (2 * k)))).ToArray()
            : RefinedPoints(landmarks, image, box);
        var detect = clock.Elapsed.TotalMilliseconds;

        var target = FaceAligner.Template.Select(p => new Point2f(p.X, p.Y)).ToArray();
        using var transform = Cv2.EstimateAffinePartial2D(InputArray.Create(source), InputArray.Create(target))
            ?? throw new InvalidOperationException("OpenCV could not fit the alignment.");
        using var aligned = new Mat();
        Cv2.WarpAffine(image, aligned, transform, new Size(112, 112));
        var align = clock.Elapsed.TotalMilliseconds;

        var input = embedderEntry.Input;
        using (var blob = CvDnn.BlobFromImage(aligned, input.Scale, new Size(112, 112), new Scalar(input.Mean, input.Mean, input.Mean),
                   swapRB: input.ColorOrder == "RGB"))
        {
            embedder.SetInput(blob);
            using var vector = embedder.Forward();
            Cv2.Normalize(vector, vector);
        }

        var embed = clock.Elapsed.TotalMilliseconds;

        foreach (var (net, entry) in liveness)
        {
            var (left, top, right, bottom) = MiniFasNet.ContextBox(image.Width, image.Height, box, entry.CropScale ?? 2.7f);
            using var crop = new Mat(image, new Rect(left, top, right - left + 1, bottom - top + 1));
            using var blob = CvDnn.BlobFromImage(crop, 1.0, new Size(entry.Input.Width, entry.Input.Height), new Scalar(0, 0, 0), swapRB: false);
            net.SetInput(blob);
            using var logits = net.Forward();
        }

        var live = clock.Elapsed.TotalMilliseconds;
        return new Timings(decode, detect - decode, align - detect, embed - align, live - embed, live);
    }

    /// <summary>PFLD-68 on the square crop IdVerify takes (replicated border, RGB / 255), reduced to the five points.</summary>
    private static Point2f[] RefinedPoints(Net net, Mat image, IdVerify.Core.Imaging.FaceBox box)
    {
        const int size = 112;
        var side = EyeLandmarks.DefaultCropScale * Math.Max(box.Width, box.Height);
        var (left, top, step) = (box.CenterX - (side / 2), box.CenterY - (side / 2), side / size);
        using var toCrop = new Mat(2, 3, MatType.CV_64FC1);
        toCrop.Set(0, 0, 1.0 / step);
        toCrop.Set(0, 1, 0.0);
        toCrop.Set(0, 2, -left / step);
        toCrop.Set(1, 0, 0.0);
        toCrop.Set(1, 1, 1.0 / step);
        toCrop.Set(1, 2, -top / step);
        using var crop = new Mat();
        Cv2.WarpAffine(image, crop, toCrop, new Size(size, size), InterpolationFlags.Linear, BorderTypes.Replicate);
        using var blob = CvDnn.BlobFromImage(crop, 1 / 255.0, new Size(size, size), new Scalar(0, 0, 0), swapRB: true);
        net.SetInput(blob);
        using var output = net.Forward();
        var points = Enumerable.Range(0, 68)
            .Select(i => new System.Numerics.Vector2(left + (output.At<float>(0, 2 * i) * side), top + (output.At<float>(0, (2 * i) + 1) * side)))
            .ToList();
        return [.. EyeLandmarks.FivePoints(points).Select(p => new Point2f(p.X, p.Y))];
    }

    public void Dispose()
    {
        landmarks?.Dispose();
        foreach (var detector in detectors.Values)
        {
            detector.Dispose();
        }

        embedder.Dispose();
        foreach (var (net, _) in liveness)
        {
            net.Dispose();
        }
    }
}
