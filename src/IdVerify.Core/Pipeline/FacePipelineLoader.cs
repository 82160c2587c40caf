using System.Diagnostics;
using IdVerify.Core.Embedding;
using IdVerify.Core.Imaging;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;

namespace IdVerify.Core.Pipeline;

/// <summary>Pulls and verifies a bundle's model files, opens one session per model and warms the pipeline up.</summary>
public static class FacePipelineLoader
{
    public static async Task<FacePipeline> LoadAsync(ModelManifest manifest, ModelStore store, ModelBundle bundle,
        PipelineOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var detectorEntry = manifest.Get(bundle.DetectorId, ModelRoles.Detector);
        var embedderEntry = manifest.Get(bundle.EmbedderId, ModelRoles.Embedder);
        var livenessEntries = bundle.LivenessIds.Select(id => manifest.Get(id, ModelRoles.Liveness)).ToList();
        var eyesEntry = bundle.EyeLandmarksId is { } eyesId ? manifest.Get(eyesId, ModelRoles.Landmarks) : null;
        var legacyEntries = (bundle.LegacyEmbedderIds ?? []).Where(id => id != bundle.EmbedderId).Distinct()
            .Select(id => manifest.Get(id, ModelRoles.Embedder)).ToList();
        if (livenessEntries.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.ModelUnavailable, "The bundle names no liveness model.");
        }

        // Every family is checked before any file is pulled or session opened.
        FaceModelFactory.Require(detectorEntry, ModelRoles.Detector);
        FaceModelFactory.Require(embedderEntry, ModelRoles.Embedder);
        livenessEntries.ForEach(e => FaceModelFactory.Require(e, ModelRoles.Liveness));
        legacyEntries.ForEach(e => FaceModelFactory.Require(e, ModelRoles.Embedder));
        if (eyesEntry is not null)
        {
            FaceModelFactory.Require(eyesEntry, ModelRoles.Landmarks);
        }

        var detectorOptions = options.Detector with { LandmarksRefined = options.RefineLandmarks && eyesEntry is not null };
        var (sessionOptions, provider) = options.Inference.CreateSessionOptions();
        using var _ = sessionOptions;

        // On CPU, second sessions of the detect stage's models (the detector, the landmark model) with more threads, for
        // a request alone (see InferenceOptions.SoloDetectorThreads).
        using var soloOptions = provider.Actual == "cpu" && options.Inference.SoloDetectorThreadCount() is { } soloThreads
            ? options.Inference.CreateSessionOptions(soloThreads).Options
            : null;
        var opened = new List<IDisposable>();
        T Open<T>(T model) where T : IDisposable
        {
            opened.Add(model);
            return model;
        }

        try
        {
            var detector = Open(FaceModelFactory.CreateDetector(detectorEntry, await store.EnsureAsync(detectorEntry, cancellationToken),
                detectorOptions, sessionOptions));
            var soloDetector = soloOptions is null
                ? null
                : Open(FaceModelFactory.CreateDetector(detectorEntry, await store.EnsureAsync(detectorEntry, cancellationToken), detectorOptions, soloOptions));

            var embedder = Open(FaceModelFactory.CreateEmbedder(embedderEntry, await store.EnsureAsync(embedderEntry, cancellationToken), sessionOptions));
            var livenessModels = new List<ILivenessModel>();
            foreach (var entry in livenessEntries)
            {
                livenessModels.Add(Open(FaceModelFactory.CreateLivenessModel(entry, await store.EnsureAsync(entry, cancellationToken), sessionOptions)));
            }

            var liveness = new LivenessChecker(livenessModels, options.LivenessThreshold, options.LivenessMinContextScale);
            var eyes = eyesEntry is null
                ? null
                : Open(FaceModelFactory.CreateEyeLandmarks(eyesEntry, await store.EnsureAsync(eyesEntry, cancellationToken), sessionOptions));
            var legacy = new List<FaceEmbedder>();
            foreach (var entry in legacyEntries)
            {
                legacy.Add(Open(FaceModelFactory.CreateEmbedder(entry, await store.EnsureAsync(entry, cancellationToken), sessionOptions)));
            }

            var soloEyes = eyesEntry is null || soloOptions is null
                ? null
                : Open(FaceModelFactory.CreateEyeLandmarks(eyesEntry, await store.EnsureAsync(eyesEntry, cancellationToken), soloOptions));

            var models = new PipelineModels(bundle, detector, detectorEntry, embedder, liveness, eyes, legacy, provider, soloDetector, soloEyes);
            var pipeline = new FacePipeline(new ImageDecoder(options.Images), models, options);
            var warming = Stopwatch.StartNew();
            PipelineWarmUp.Run(pipeline);
            pipeline.WarmUpTime = warming.Elapsed;
            pipeline.LoadTime = clock.Elapsed;
            return pipeline;
        }
        catch
        {
            opened.ForEach(d => d.Dispose());
            throw;
        }
    }
}
