using System.Diagnostics;
using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;
using IdVerify.Core.Embedding;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using IdVerify.Core.Quality;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IdVerify.Core.Pipeline;

/// <summary>Which manifest model serves each role.</summary>
/// <param name="EyeLandmarksId">optional 68-point landmark model for the blink check of active liveness.</param>
/// <param name="LegacyEmbedderIds">embedders kept loaded after a swap so subjects enrolled with them still verify.</param>
public sealed record ModelBundle(
    string DetectorId,
    string EmbedderId,
    IReadOnlyList<string> LivenessIds,
    string? EyeLandmarksId = null,
    IReadOnlyList<string>? LegacyEmbedderIds = null)
{
    public static ModelBundle DefaultOf(ModelManifest manifest) =>
        new(manifest.Defaults.Detector, manifest.Defaults.Embedder, manifest.Defaults.Liveness);
}

public sealed class PipelineOptions
{
    public ImageLimits Images { get; set; } = new();

    public DetectorOptions Detector { get; set; } = new();

    public SelectionOptions Selection { get; set; } = new();

    /// <summary>
    /// Fused MiniFASNet P(live) at or above which a face counts as live. idverify eval-liveness on shared/faces: the
    /// 25 printed-photo and screen attacks scored at most 0.38; at 0.5, 8 of 124 bona fide captures were rejected.
    /// </summary>
    public float LivenessThreshold { get; set; } = 0.5f;

    /// <summary>Frame size over face size below which liveness answers insufficient_context (see <see cref="LivenessChecker"/>).</summary>
    public float LivenessMinContextScale { get; set; } = 1.3f;

    public InferenceOptions Inference { get; set; } = new();

    /// <summary>
    /// Run the embedder and the liveness models side by side when cores are idle (a request alone on the machine);
    /// under load each request stays on one core. Cuts single-request latency by the shorter of the two stages.
    /// </summary>
    public bool ParallelStages { get; set; } = true;
}

/// <summary>Milliseconds spent in each stage of one request.</summary>
public sealed record StageTimings(double Decode, double Detect, double Align, double Embed, double Liveness, double Match, double Total);

/// <summary>The selected face of a photo and its embedding.</summary>
public sealed record FaceEmbedding(DetectedFace Face, float[] Embedding, QualityValues Quality, StageTimings Timings, AlignedFace Aligned);

/// <summary>What the pipeline learned about the one face in a photo.</summary>
public sealed record FaceAnalysis(
    DetectedFace Face,
    float[] Embedding,
    LivenessResult Liveness,
    QualityValues Quality,
    int ImageWidth,
    int ImageHeight,
    StageTimings Timings,
    AlignedFace Aligned,
    float? EyeAspectRatio = null);

/// <summary>
/// decode → detect → select → align → embed → liveness, on one ONNX Runtime session per model shared
/// by every request (sessions are thread-safe for Run).
/// </summary>
public sealed class FacePipeline : IDisposable
{
    private readonly ImageDecoder decoder;
    private readonly PipelineOptions options;
    private int inFlight;

    private FacePipeline(ImageDecoder decoder, IFaceDetector detector, FaceEmbedder embedder, LivenessChecker liveness,
        EyeLandmarks? eyes, IReadOnlyList<FaceEmbedder> legacy, ModelBundle bundle, ModelEntry detectorModel, PipelineOptions options)
    {
        LegacyEmbedders = legacy;
        Bundle = bundle;
        DetectorModel = detectorModel;
        Eyes = eyes;
        this.decoder = decoder;
        this.options = options;
        Detector = detector;
        Embedder = embedder;
        Liveness = liveness;
    }

    public IFaceDetector Detector { get; }

    public ModelEntry DetectorModel { get; }

    /// <summary>The execution provider the sessions run on (and why, when it is not the one asked for).</summary>
    public ExecutionProviderChoice Provider { get; private set; } = new("cpu", "cpu", null);

    /// <summary>How long loading and warming the bundle took.</summary>
    public TimeSpan WarmUpTime { get; private set; }

    public FaceEmbedder Embedder { get; }

    public LivenessChecker Liveness { get; }

    /// <summary>Earlier embedders kept for subjects not yet re-enrolled; never used to enroll.</summary>
    public IReadOnlyList<FaceEmbedder> LegacyEmbedders { get; }

    public ModelBundle Bundle { get; }

    /// <summary>Loaded only when the bundle names a landmark model (the blink action needs it).</summary>
    public EyeLandmarks? Eyes { get; }

    public ImageDecoder Decoder => decoder;

    /// <summary>Pulls and verifies the bundle's model files, opens one session per model and warms them up.</summary>
    public static async Task<FacePipeline> CreateAsync(ModelManifest manifest, ModelStore store, ModelBundle bundle,
        PipelineOptions options, CancellationToken cancellationToken = default)
    {
        var detectorEntry = manifest.Get(bundle.DetectorId, ModelRoles.Detector);
        var embedderEntry = manifest.Get(bundle.EmbedderId, ModelRoles.Embedder);
        var livenessEntries = bundle.LivenessIds.Select(id => manifest.Get(id, ModelRoles.Liveness)).ToList();
        RequireFamily(detectorEntry, "yunet", "scrfd");
        RequireFamily(embedderEntry, "arcface112");
        livenessEntries.ForEach(e => RequireFamily(e, "minifasnet", "antispoof128"));
        if (livenessEntries.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, "The bundle names no liveness model.");
        }

        var detectorPath = await store.EnsureAsync(detectorEntry, cancellationToken);
        var embedderPath = await store.EnsureAsync(embedderEntry, cancellationToken);
        var livenessPaths = new List<string>();
        foreach (var entry in livenessEntries)
        {
            livenessPaths.Add(await store.EnsureAsync(entry, cancellationToken));
        }

        var (sessionOptions, provider) = options.Inference.CreateSessionOptions();
        using var _ = sessionOptions;
        var disposables = new List<IDisposable>();
        try
        {
            IFaceDetector detector = detectorEntry.Family == "scrfd"
                ? new ScrfdDetector(detectorEntry, detectorPath, options.Detector, sessionOptions)
                : new YuNetDetector(detectorEntry, detectorPath, options.Detector, sessionOptions);
            disposables.Add(detector);
            var embedder = new FaceEmbedder(embedderEntry, embedderPath, sessionOptions);
            disposables.Add(embedder);
            var livenessModels = new List<ILivenessModel>();
            for (var i = 0; i < livenessEntries.Count; i++)
            {
                ILivenessModel model = livenessEntries[i].Family == "antispoof128"
                    ? new AntiSpoof128(livenessEntries[i], livenessPaths[i], sessionOptions)
                    : new MiniFasNet(livenessEntries[i], livenessPaths[i], sessionOptions);
                disposables.Add(model);
                livenessModels.Add(model);
            }

            EyeLandmarks? eyes = null;
            if (bundle.EyeLandmarksId is { } eyesId)
            {
                var eyesEntry = manifest.Get(eyesId, ModelRoles.Landmarks);
                RequireFamily(eyesEntry, "pfld68");
                eyes = new EyeLandmarks(eyesEntry, await store.EnsureAsync(eyesEntry, cancellationToken), sessionOptions);
                disposables.Add(eyes);
            }

            var legacy = new List<FaceEmbedder>();
            foreach (var legacyId in (bundle.LegacyEmbedderIds ?? []).Where(id => id != bundle.EmbedderId).Distinct())
            {
                var legacyEntry = manifest.Get(legacyId, ModelRoles.Embedder);
                RequireFamily(legacyEntry, "arcface112");
                var legacyEmbedder = new FaceEmbedder(legacyEntry, await store.EnsureAsync(legacyEntry, cancellationToken), sessionOptions);
                disposables.Add(legacyEmbedder);
                legacy.Add(legacyEmbedder);
            }

            var pipeline = new FacePipeline(new ImageDecoder(options.Images), detector, embedder,
                new LivenessChecker(livenessModels, options.LivenessThreshold, options.LivenessMinContextScale), eyes, legacy, bundle, detectorEntry, options);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            pipeline.WarmUp();
            pipeline.Provider = provider;
            pipeline.WarmUpTime = clock.Elapsed;
            return pipeline;
        }
        catch
        {
            disposables.ForEach(d => d.Dispose());
            throw;
        }
    }

    private static void RequireFamily(ModelEntry entry, params string[] families)
    {
        if (!families.Contains(entry.Family, StringComparer.Ordinal))
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable,
                $"Model '{entry.Id}' is of family '{entry.Family}'; this pipeline runs {string.Join(" or ", families)} for the {entry.Role} role.");
        }
    }

    /// <summary>The first run of a session allocates its buffers; do it before the first customer waits.</summary>
    private void WarmUp()
    {
        using var blank = new Image<Rgb24>(320, 240);
        Detector.Detect(blank);
        var face = new DetectedFace(new FaceBox(100, 60, 100, 120),
            [new(130, 100), new(170, 100), new(150, 120), new(135, 145), new(165, 145)], 1f);
        Embedder.Embed(FaceAligner.Align(blank, face.Landmarks));
        Liveness.Check(blank, face.Box);
    }

    /// <summary>Decodes the photo and returns its faces, largest first (no selection).</summary>
    public IReadOnlyList<DetectedFace> DetectAll(byte[] imageBytes)
    {
        using var image = decoder.Decode(imageBytes);
        return Detector.Detect(image.Image);
    }

    /// <summary>decode → detect → select → align → embed, without the liveness check (evaluation, enrollment studies).</summary>
    public FaceEmbedding Embed(byte[] imageBytes)
    {
        var clock = Stopwatch.StartNew();
        using var image = decoder.Decode(imageBytes);
        var decode = clock.Elapsed.TotalMilliseconds;
        var face = FaceSelector.Select(Detector.Detect(image.Image), options.Selection);
        return Embed(image, face, clock, decode, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>The whole pipeline on one photo: the face, its embedding and the liveness verdict.</summary>
    public FaceAnalysis Analyze(byte[] imageBytes)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            return AnalyzeCore(imageBytes);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private FaceAnalysis AnalyzeCore(byte[] imageBytes)
    {
        var clock = Stopwatch.StartNew();
        using var image = decoder.Decode(imageBytes);
        var decode = clock.Elapsed.TotalMilliseconds;
        var face = FaceSelector.Select(Detector.Detect(image.Image), options.Selection);
        var detect = clock.Elapsed.TotalMilliseconds;

        // Alone on the machine, liveness runs on another core while this one embeds.
        var parallel = options.ParallelStages && Volatile.Read(ref inFlight) * 2 <= Environment.ProcessorCount;
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
            embedded = Embed(image, face, clock, decode, detect);
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

        var eyeAspectRatio = Eyes is null ? (float?)null : EyeLandmarks.EyeAspectRatio(Eyes.Detect(image.Image, embedded.Face.Box));
        var done = clock.Elapsed.TotalMilliseconds;

        // Stage times are each stage's own time; when liveness ran beside the embedder, Total is less than their sum.
        var timings = embedded.Timings with { Liveness = livenessMs + (done - live), Total = done };
        return new FaceAnalysis(embedded.Face, embedded.Embedding, liveness, embedded.Quality, image.Width, image.Height, timings,
            embedded.Aligned, eyeAspectRatio);
    }

    private FaceEmbedding Embed(DecodedImage image, DetectedFace face, Stopwatch clock, double decode, double detect)
    {
        var aligned = FaceAligner.Align(image.Image, face.Landmarks);
        var quality = FaceQualityAssessor.Measure(face, aligned, image.Width, image.Height);
        var align = clock.Elapsed.TotalMilliseconds;

        var embedding = Embedder.Embed(aligned);
        var embed = clock.Elapsed.TotalMilliseconds;

        var timings = new StageTimings(decode, detect - decode, align - detect, embed - align, 0, 0, embed);
        return new FaceEmbedding(face, embedding, quality, timings, aligned);
    }

    public void Dispose()
    {
        foreach (var legacy in LegacyEmbedders)
        {
            legacy.Dispose();
        }

        Eyes?.Dispose();
        Detector.Dispose();
        Embedder.Dispose();
        Liveness.Dispose();
    }
}
