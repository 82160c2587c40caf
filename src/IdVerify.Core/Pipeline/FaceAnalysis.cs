using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;
using IdVerify.Core.Liveness;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Pipeline;

/// <summary>What the pipeline learned about the one face in a photo.</summary>
/// <param name="EmbedderId">the embedder that made <paramref name="Embedding"/>.</param>
public sealed record FaceAnalysis(
    DetectedFace Face,
    float[] Embedding,
    string EmbedderId,
    LivenessResult Liveness,
    QualityValues Quality,
    int ImageWidth,
    int ImageHeight,
    StageTimings Timings,
    AlignedFace Aligned,
    float? EyeAspectRatio = null);
