using IdVerify.Core.Embedding;
using IdVerify.Core.Matching;

namespace IdVerify.Core.Tests;

/// <summary>The TensorPrimitives kernels give what the scalar loops they replaced gave, within 1e-6.</summary>
public sealed class VectorMathTests
{
    private const float Tolerance = 1e-6f;

    private static float[] Vector(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    private static float ScalarDot(float[] a, float[] b)
    {
        var dot = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    private static float[] ScalarNormalize(float[] vector)
    {
        var norm = MathF.Sqrt(ScalarDot(vector, vector));
        return vector.Select(v => v / norm).ToArray();
    }

    [Theory]
    [InlineData(128)]
    [InlineData(512)]
    [InlineData(7)]
    public void Normalised_embeddings_and_their_cosines_match_the_scalar_loops(int length)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 50; trial++)
        {
            var a = Vector(random, length);
            var b = Vector(random, length);

            var unitA = FaceEmbedder.Normalize(a);
            var unitB = FaceEmbedder.Normalize(b);

            Assert.All(unitA.Zip(ScalarNormalize(a)), p => Assert.Equal(p.Second, p.First, Tolerance));
            Assert.Equal(ScalarDot(ScalarNormalize(a), ScalarNormalize(b)), Similarity.Cosine(unitA, unitB), Tolerance);
        }
    }

    [Fact]
    public void A_zero_output_stays_zero()
    {
        Assert.Equal(new float[4], FaceEmbedder.Normalize(new float[4]));
    }

    [Fact]
    public void The_mean_embedding_matches_the_scalar_loop()
    {
        var random = new Random(3);
        var templates = Enumerable.Range(0, 5).Select(_ => ScalarNormalize(Vector(random, 128))).ToList();
        var sum = new float[128];
        foreach (var t in templates)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += t[i];
            }
        }

        var expected = ScalarNormalize(sum);
        var mean = TemplateScorer.MeanEmbedding(templates);

        Assert.All(mean.Zip(expected), p => Assert.Equal(p.Second, p.First, Tolerance));
        var probe = ScalarNormalize(Vector(random, 128));
        Assert.Equal(ScalarDot(expected, probe), TemplateScorer.Score(TemplateAggregation.MeanEmbedding, templates, probe), Tolerance);
    }

    [Fact]
    public void Vectors_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Similarity.Cosine(new float[128], new float[512]));
    }
}
