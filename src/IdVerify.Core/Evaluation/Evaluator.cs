using System.Security.Cryptography;
using System.Text.Json;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;

namespace IdVerify.Core.Evaluation;

/// <summary>
/// Runs the service's own pipeline over a labelled set, one embedding per photo (cached by file hash and
/// model), and turns the pair scores into the figures a bank sets policy from.
/// </summary>
/// <param name="variant">an alignment or embedding choice to measure instead of the service's own.</param>
public sealed class Evaluator(FacePipeline pipeline, string? cacheDirectory = null, EmbeddingVariant? variant = null)
{
    public static readonly double[] FmrTargets = [1e-2, 1e-3, 1e-4];

    /// <summary>The detector, and the landmark model its points are refined with when Alignment:RefineLandmarks is on.</summary>
    private string DetectorName => pipeline.RefinesLandmarks ? $"{pipeline.Detector.ModelId}+{pipeline.Eyes!.Model.Id}" : pipeline.Detector.ModelId;

    /// <param name="FaceSize">shorter side of the selected face's box, in the pixels the pipeline saw.</param>
    private sealed record CachedEmbedding(float[]? Embedding, string? Error, double Milliseconds, float? FaceSize = null);

    /// <summary>
    /// Embeds every labelled bona fide photo of a labels file as one calibration source (through the same cache as
    /// <see cref="Run"/>); photos that fail to acquire are listed, not guessed at.
    /// </summary>
    public CalibrationSource AcquireSource(string name, IReadOnlyList<LabelledPhoto> photos, string root, IProgress<int>? progress = null)
    {
        var usable = photos.Where(p => p.Identity.Length > 0 && p.Kind == LabelledPhoto.BonaFide).DistinctBy(p => p.Path).ToList();
        var embeddings = Embed(usable.Select(p => p.Path).ToList(), root, progress);
        var faces = usable.Where(p => embeddings[p.Path].Embedding is not null)
            .Select(p => new CalibrationFace(p.Path, p.IdentityKey, embeddings[p.Path].Embedding!)).ToList();
        var failures = usable.Where(p => embeddings[p.Path].Embedding is null)
            .Select(p => new FailureToAcquire(p.Path, embeddings[p.Path].Error!)).ToList();
        return new CalibrationSource(name, faces, failures);
    }

    public EvaluationReport Run(EvaluationSet set, string root, IProgress<int>? progress = null)
    {
        var absent = set.Photos.Where(p => !File.Exists(Path.Combine(root, p.Path))).ToList();
        if (absent.Count > 0)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                $"{absent.Count} of {set.Photos.Count} listed photos are not under {root}, such as {absent[0].Path}.");
        }

        var embeddings = Embed(set.Photos.Select(p => p.Path).ToList(), root, progress);
        var failures = embeddings.Where(e => e.Value.Embedding is null)
            .Select(e => new FailureToAcquire(e.Key, e.Value.Error!)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();

        var scored = set.Pairs
            .Where(p => embeddings[p.PathA].Embedding is not null && embeddings[p.PathB].Embedding is not null)
            .Select(p => (Pair: p, Score: (double)Similarity.Cosine(embeddings[p.PathA].Embedding, embeddings[p.PathB].Embedding)))
            .ToList();
        var genuine = scored.Where(s => s.Pair.Genuine).ToList();
        var impostor = scored.Where(s => !s.Pair.Genuine).ToList();
        if (genuine.Count == 0 || impostor.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest,
                $"{genuine.Count} genuine and {impostor.Count} impostor pairs have both photos embedded ({failures.Count} failures to acquire); an evaluation needs both.");
        }

        var stats = new ScoreStatistics(genuine.Select(s => s.Score), impostor.Select(s => s.Score));
        var (eer, eerThreshold) = stats.EqualErrorRate();
        var times = embeddings.Values.Where(e => e.Embedding is not null).Select(e => e.Milliseconds).Order().ToList();

        return new EvaluationReport(
            DetectorName + variant?.Name,
            pipeline.Embedder.Model.Id,
            pipeline.Embedder.Model.Sha256,
            set.Description,
            set.Photos.Count,
            failures,
            genuine.Count,
            impostor.Count,
            eer,
            eerThreshold,
            FmrTargets.Select(stats.At).ToList(),
            stats.Auc(),
            genuine.OrderBy(s => s.Score).Take(10).Select(s => new ScoredPair(s.Pair.PathA, s.Pair.PathB, s.Score)).ToList(),
            impostor.OrderByDescending(s => s.Score).Take(10).Select(s => new ScoredPair(s.Pair.PathA, s.Pair.PathB, s.Score)).ToList(),
            Median(times) ?? 0,
            Median(embeddings.Values.Where(e => e.FaceSize is not null).Select(e => (double)e.FaceSize!.Value).Order().ToList()),
            CompareAggregations(set, embeddings, stats.At(1e-3).Threshold),
            stats.Genuine,
            stats.Impostor);
    }

    /// <summary>
    /// For each identity with at least three photos: every photo in turn is the probe and up to three of the
    /// others are the enrolled templates (genuine); each identity's first three photos, enrolled, are probed
    /// with every photo of the other identities (impostor). The probe is scored against the templates by
    /// max, by mean, and against the mean embedding. d' (separation of the two score distributions) breaks
    /// ties that a few dozen genuine probes cannot; the false matches at the single-pair FMR 1e-3 threshold
    /// show whether a method keeps that calibration.
    /// </summary>
    private static List<AggregationResult> CompareAggregations(EvaluationSet set, Dictionary<string, CachedEmbedding> embeddings,
        double singlePairThreshold)
    {
        var byIdentity = set.Photos
            .Where(p => p.Identity.Length > 0 && embeddings[p.Path].Embedding is not null)
            .GroupBy(p => p.IdentityKey)
            .Select(g => g.OrderBy(p => p.Path, StringComparer.Ordinal).Select(p => embeddings[p.Path].Embedding!).ToList())
            .Where(g => g.Count >= 3)
            .ToList();
        if (byIdentity.Count < 2)
        {
            return [];
        }

        var results = new List<AggregationResult>();
        foreach (var method in Enum.GetValues<TemplateAggregation>())
        {
            double score(IReadOnlyList<float[]> templates, float[] probe) => TemplateScorer.Score(method, templates, probe);
            var genuine = new List<double>();
            var impostor = new List<double>();
            for (var i = 0; i < byIdentity.Count; i++)
            {
                var photos = byIdentity[i];
                for (var probe = 0; probe < photos.Count; probe++)
                {
                    var others = photos.Where((_, k) => k != probe).Take(3).ToList();
                    genuine.Add(score(others, photos[probe]));
                }

                var enrolled = photos.Take(3).ToList();
                for (var j = 0; j < byIdentity.Count; j++)
                {
                    if (j != i)
                    {
                        impostor.AddRange(byIdentity[j].Select(p => score(enrolled, p)));
                    }
                }
            }

            var stats = new ScoreStatistics(genuine, impostor);
            results.Add(new AggregationResult(method, genuine.Count, impostor.Count, stats.EqualErrorRate().Rate, stats.At(1e-2).Fnmr,
                DPrime(genuine, impostor), impostor.Count(s => s >= singlePairThreshold), genuine.Count(s => s < singlePairThreshold) / (double)genuine.Count));
        }

        return results;
    }

    private static double DPrime(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor)
    {
        static (double Mean, double Variance) Moments(IReadOnlyList<double> x)
        {
            var mean = x.Average();
            return (mean, x.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, x.Count - 1));
        }

        var (mg, vg) = Moments(genuine);
        var (mi, vi) = Moments(impostor);
        return (mg - mi) / Math.Sqrt((vg + vi) / 2);
    }

    private static double? Median(IReadOnlyList<double> sorted) => sorted.Count == 0 ? null : sorted[sorted.Count / 2];

    private Dictionary<string, CachedEmbedding> Embed(IReadOnlyList<string> paths, string root, IProgress<int>? progress)
    {
        var cachePath = cacheDirectory is null ? null
            : Path.Combine(cacheDirectory, $"embeddings-{DetectorName}-{pipeline.Embedder.Model.Id}{variant?.Name}.json");
        var cache = cachePath is not null && File.Exists(cachePath)
            ? JsonSerializer.Deserialize<Dictionary<string, CachedEmbedding>>(File.ReadAllText(cachePath)) ?? []
            : [];

        var result = new Dictionary<string, CachedEmbedding>(StringComparer.Ordinal);
        var done = 0;
        foreach (var path in paths)
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, path));
            // Keyed by the models and the photo; delete the cache after changing pipeline code or settings.
            var key = $"{DetectorName}{variant?.Name}:{pipeline.Embedder.Model.Sha256[..16]}:{Convert.ToHexStringLower(SHA256.HashData(bytes))}";
            if (!cache.TryGetValue(key, out var entry))
            {
                try
                {
                    var embedded = pipeline.Embed(variant?.Prepare(bytes) ?? bytes, variant?.FlipFusion ?? false);
                    entry = new CachedEmbedding(embedded.Embedding, null, embedded.Timings.Total,
                        MathF.Min(embedded.Face.Box.Width, embedded.Face.Box.Height));
                }
                catch (IdVerifyException ex)
                {
                    entry = new CachedEmbedding(null, ex.Code, 0);
                }

                cache[key] = entry;
            }

            result[path] = entry;
            progress?.Report(++done);
        }

        if (cachePath is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            File.WriteAllText(cachePath, JsonSerializer.Serialize(cache));
        }

        return result;
    }
}
