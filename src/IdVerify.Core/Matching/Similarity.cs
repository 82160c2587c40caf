using System.Numerics.Tensors;

namespace IdVerify.Core.Matching;

/// <summary>How alike two embeddings are.</summary>
public static class Similarity
{
    /// <summary>Cosine of two L2-normalised vectors: their dot product.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Cannot compare a {a.Length}-d vector with a {b.Length}-d one.", nameof(b));
        }

        return TensorPrimitives.Dot(a, b);
    }
}
