using System.Numerics.Tensors;

namespace IdVerify.Core.Matching;

/// <summary>Scores a probe against a subject's templates the way <see cref="TemplateAggregation"/> says.</summary>
public static class TemplateScorer
{
    public static float Score(TemplateAggregation aggregation, IReadOnlyList<float[]> templates, ReadOnlySpan<float> probe)
    {
        if (templates.Count == 0)
        {
            throw new ArgumentException("No templates to compare with.", nameof(templates));
        }

        switch (aggregation)
        {
            case TemplateAggregation.Max:
                {
                    var best = float.MinValue;
                    foreach (var t in templates)
                    {
                        best = Math.Max(best, Similarity.Cosine(t, probe));
                    }

                    return best;
                }

            case TemplateAggregation.Mean:
                {
                    var sum = 0f;
                    foreach (var t in templates)
                    {
                        sum += Similarity.Cosine(t, probe);
                    }

                    return sum / templates.Count;
                }

            default:
                return Similarity.Cosine(MeanEmbedding(templates), probe);
        }
    }

    /// <summary>The L2-normalised mean of unit vectors.</summary>
    public static float[] MeanEmbedding(IReadOnlyList<float[]> vectors)
    {
        var sum = new float[vectors[0].Length];
        foreach (var v in vectors)
        {
            TensorPrimitives.Add(sum, v, sum);
        }

        TensorPrimitives.Divide(sum, TensorPrimitives.Norm(sum), sum);
        return sum;
    }
}
