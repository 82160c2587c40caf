using System.Diagnostics;
using System.Numerics;
using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;
using IdVerify.Core.Embedding;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Pipeline;

/// <summary>
/// decode → detect → select → align → embed → liveness, on one ONNX Runtime session per model shared
/// by every request (sessions are thread-safe for Run). Built by <see cref="FacePipelineLoader"/>.
/// </summary>
public sealed class FacePipeline(ImageDecoder decoder, PipelineModels models, PipelineOptions options) : IDisposable
{
    private int inFlight;

    public ModelBundle Bundle => models.Bundle;

    public IFaceDetector Detector => models.Detector;

    /// <summary>Every session of the detector (warm-up runs each).</summary>
    internal IEnumerable<IFaceDetector> Detectors => models.SoloDetector is { } solo ? [models.Detector, solo] : [models.Detector];

    /// <summary>Every session of the landmark model, when one is loaded (warm-up runs each).</summary>
    internal IEnumerable<EyeLandmarks> EyeSessions => new[] { models.Eyes, models.SoloEyes }.OfType<EyeLandmarks>();

    /// <summary>At most one request per two cores: the cores a request may spread over are idle.</summary>
    private bool Alone => Volatile.Read(ref inFlight) * 2 <= Environment.ProcessorCount;

    public ModelEntry DetectorModel => models.DetectorModel;

    public FaceEmbedder Embedder => models.Embedder;

    public LivenessChecker Liveness => models.Liveness;

    /// <inheritdoc cref="PipelineModels.Eyes"/>
    public EyeLandmarks? Eyes => models.Eyes;

    /// <inheritdoc cref="PipelineModels.LegacyEmbedders"/>
    public IReadOnlyList<FaceEmbedder> LegacyEmbedders => models.LegacyEmbedders;

    /// <inheritdoc cref="PipelineModels.Provider"/>
    public ExecutionProviderChoice Provider => models.Provider;

    public ImageDecoder Decoder => decoder;

    /// <summary>Whether alignment uses five points from the 68-point model (Alignment:RefineLandmarks, with one loaded).</summary>
    public bool RefinesLandmarks => options.RefineLandmarks && Eyes is not null;

    /// <summary>The detector settings its sessions were opened with.</summary>
    public DetectorOptions DetectorOptions => options.Detector with { LandmarksRefined = RefinesLandmarks };

    /// <summary>The yaw calibration of the five points alignment uses: the landmark model's when it refines them, else the detector's.</summary>
    public YawCalibration? YawCalibration => (RefinesLandmarks ? Eyes!.Model : DetectorModel).YawCalibration;

    public PipelineOptions Options => options;

    /// <summary>How long pulling, loading and warming the bundle took.</summary>
    public TimeSpan LoadTime { get; internal set; }

    /// <summary>The warm-up's share of <see cref="LoadTime"/>.</summary>
    public TimeSpan WarmUpTime { get; internal set; }

    /// <summary>Decodes the photo and returns its faces, largest first (no selection).</summary>
    public IReadOnlyList<DetectedFace> DetectAll(byte[] imageBytes)
    {
        using var image = decoder.Decode(imageBytes);
        return Detector.Detect(image.Image);
    }

    /// <summary>
    /// decode → detect → select → align → quality, without embedding or liveness: a kiosk's live hint on a preview frame.
    /// The face is picked as verify picks it, but a face under <see cref="SelectionOptions.MinFaceSize"/> is the
    /// <see cref="QualityIssues.TooSmall"/> issue here, not a refusal: the customer is told to move closer.
    /// </summary>
    public FrameQuality CheckFrame(byte[] imageBytes, QualityBounds bounds)
    {
        using var image = decoder.Decode(imageBytes);
        var faces = Detector.Detect(image.Image);
        if (faces.Count == 0)
        {
            return FrameQuality.NoFace(image.Width, image.Height);
        }

        var selected = FaceSelector.Select(faces, options.Selection with { MinFaceSize = 0 }, image.Width, image.Height);
        var points = RefinementPoints(image, selected);
        var face = Refine(selected, points);

        var values = FaceQualityAssessor.Measure(face, FaceAligner.Align(image.Image, face.Landmarks), image.Width, image.Height, points is not null);
        var issues = FaceQualityAssessor.Check(values, bounds).Issues.ToList();
        if (Math.Min(face.Box.Width, face.Box.Height) < options.Selection.MinFaceSize && !issues.Contains(QualityIssues.TooSmall))
        {
            issues.Add(QualityIssues.TooSmall);
        }

        var offset = FaceFraming.CentreOffset(face.Box, image.Width, image.Height);
        if (!FaceFraming.IsCentred(offset))
        {
            issues.Add(QualityIssues.NotCentred);
        }

        return new FrameQuality(image.Width, image.Height, face, offset, issues, values);
    }

    /// <summary>decode → detect → select → align → embed, without the liveness check (evaluation, enrollment studies).</summary>
    /// <param name="flipFusion">embed the face and its mirror, added and normalised (measured by eval; the service does not).</param>
    public FaceEmbedding Embed(byte[] imageBytes, bool flipFusion = false)
    {
        var clock = Stopwatch.StartNew();
        using var image = decoder.Decode(imageBytes);
        var decode = clock.Elapsed.TotalMilliseconds;
        var face = FaceSelector.Select(Detector.Detect(image.Image), options.Selection, image.Width, image.Height);
        var points = RefinementPoints(image, face);
        return Embed(image, Refine(face, points), points, Embedder, clock, decode, clock.Elapsed.TotalMilliseconds, flipFusion);
    }

    /// <summary>The face with the landmarks alignment uses: the 68-point model's five when they were found.</summary>
    private static DetectedFace Refine(DetectedFace face, Vector2[]? points) =>
        points is null ? face : face with { Landmarks = EyeLandmarks.FivePoints(points) };

    /// <summary>
    /// The 68 points of the selected face when Alignment:RefineLandmarks is on, else null; for a request alone, from the
    /// landmark model's session on every core (the same points: ONNX Runtime splits the work, not the sums).
    /// </summary>
    private Vector2[]? RefinementPoints(DecodedImage image, DetectedFace face) =>
        RefinesLandmarks ? (models.SoloEyes is { } solo && Alone ? solo : Eyes!).Detect(image.Image, face.Box) : null;

    /// <summary>The whole pipeline on one photo: the face, its embedding and the liveness verdict.</summary>
    /// <param name="embedder">the embedder whose space the photo is compared in (default: the active one); the photo is embedded once, by it.</param>
    public FaceAnalysis Analyze(byte[] imageBytes, FaceEmbedder? embedder = null) =>
        Analyze(imageBytes, embedder ?? Embedder, (faces, width, height) => FaceSelector.Select(faces, options.Selection, width, height))!;

    /// <summary>
    /// The whole pipeline on the face <paramref name="select"/> picks from every face found (a challenge follows one face
    /// through a burst); null when it picks none.
    /// </summary>
    /// <param name="select">given the faces and the frame's width and height, the face to analyse, or null.</param>
    public FaceAnalysis? Analyze(byte[] imageBytes, FaceEmbedder embedder, Func<IReadOnlyList<DetectedFace>, int, int, DetectedFace?> select)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            var clock = Stopwatch.StartNew();
            using var image = decoder.Decode(imageBytes);
            var decode = clock.Elapsed.TotalMilliseconds;
            var detector = models.SoloDetector is { } solo && Alone ? solo : Detector;
            return select(detector.Detect(image.Image), image.Width, image.Height) is { } face
                ? Analyze(image, face, embedder, clock, decode)
                : null;
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>refine → align → embed, beside liveness, on a selected face (warm-up runs this on a synthetic face).</summary>
    internal FaceAnalysis Analyze(DecodedImage image, DetectedFace face, FaceEmbedder embedder, Stopwatch clock, double decode)
    {
        // The landmarks are refined first (alone on the machine, on every core: the landmark model's second session); then,
        // alone, liveness, which needs only the box, runs on another core while this one aligns and embeds.
        var points68 = RefinementPoints(image, face);
        var parallel = options.ParallelStages && Alone;
        double livenessMs = 0;
        var livenessTask = parallel
            ? Task.Run(() =>
            {
                var started = Stopwatch.GetTimestamp();
                var result = Liveness.Check(image.Image, face.Box);
                livenessMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                return result;
            })
            : null;

        FaceEmbedding embedded;
        try
        {
            embedded = Embed(image, Refine(face, points68), points68, embedder, clock, decode, clock.Elapsed.TotalMilliseconds);
        }
        catch when (livenessTask is not null)
        {
            // The liveness task still reads the image: let it finish before the image is disposed.
            ((IAsyncResult)livenessTask).AsyncWaitHandle.WaitOne();
            throw;
        }

        var before = clock.Elapsed.TotalMilliseconds;
        LivenessResult liveness;
        if (livenessTask is not null)
        {
            liveness = livenessTask.GetAwaiter().GetResult();
        }
        else
        {
            liveness = Liveness.Check(image.Image, face.Box);
            livenessMs = clock.Elapsed.TotalMilliseconds - before;
        }

        var live = clock.Elapsed.TotalMilliseconds;
        var eyeAspectRatio = Eyes is null ? (float?)null : EyeLandmarks.EyeAspectRatio(points68 ?? Eyes.Detect(image.Image, face.Box));
        var done = clock.Elapsed.TotalMilliseconds;

        // Stage times are each stage's own time; when liveness ran beside the embedder, Total is less than their sum.
        var timings = embedded.Timings with { Liveness = livenessMs + (done - live), Total = done };
        return new FaceAnalysis(embedded.Face, embedded.Embedding, embedder.Model.Id, liveness, embedded.Quality, image.Width, image.Height,
            timings, embedded.Aligned, eyeAspectRatio);
    }

    private static FaceEmbedding Embed(DecodedImage image, DetectedFace face, Vector2[]? points68, FaceEmbedder embedder, Stopwatch clock,
        double decode, double detect, bool flipFusion = false)
    {
        var aligned = FaceAligner.Align(image.Image, face.Landmarks);
        var quality = FaceQualityAssessor.Measure(face, aligned, image.Width, image.Height, points68 is not null);
        var align = clock.Elapsed.TotalMilliseconds;

        var embedding = flipFusion ? embedder.EmbedFlipFused(aligned) : embedder.Embed(aligned);
        var embed = clock.Elapsed.TotalMilliseconds;

        var timings = new StageTimings(decode, detect - decode, align - detect, embed - align, 0, 0, embed);
        return new FaceEmbedding(face, embedding, quality, timings, aligned);
    }

    public void Dispose() => models.Dispose();
}
