using IdVerify.Core.Alignment;
using IdVerify.Core.Detection;
using IdVerify.Core.Quality;

namespace IdVerify.Core.Pipeline;

/// <summary>The selected face of a photo and its embedding.</summary>
public sealed record FaceEmbedding(DetectedFace Face, float[] Embedding, QualityValues Quality, StageTimings Timings, AlignedFace Aligned);
