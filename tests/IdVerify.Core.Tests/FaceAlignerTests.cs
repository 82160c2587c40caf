using System.Numerics;
using IdVerify.Core.Alignment;

namespace IdVerify.Core.Tests;

public sealed class FaceAlignerTests
{
    [Fact]
    public void Similarity_estimate_recovers_a_known_rotation_scale_and_shift()
    {
        var truth = Matrix3x2.CreateRotation(0.3f) * Matrix3x2.CreateScale(1.7f) * Matrix3x2.CreateTranslation(12, -5);
        Assert.True(Matrix3x2.Invert(truth, out var inverse));
        var source = FaceAligner.Template.Select(p => Vector2.Transform(p, inverse)).ToList();

        var estimate = FaceAligner.EstimateSimilarity(source, FaceAligner.Template);

        for (var i = 0; i < source.Count; i++)
        {
            var mapped = Vector2.Transform(source[i], estimate);
            Assert.Equal(FaceAligner.Template[i].X, mapped.X, 0.001f);
            Assert.Equal(FaceAligner.Template[i].Y, mapped.Y, 0.001f);
        }
    }

    [Fact]
    public void Similarity_estimate_is_least_squares_for_noisy_points()
    {
        // Points that no similarity fits exactly: the fit's residual must not grow when the estimate is perturbed.
        Vector2[] source = [new(10, 10), new(50, 12), new(30, 35), new(14, 60), new(48, 58)];
        var estimate = FaceAligner.EstimateSimilarity(source, FaceAligner.Template);
        float Residual(Matrix3x2 m) => source.Select((p, i) => Vector2.DistanceSquared(Vector2.Transform(p, m), FaceAligner.Template[i])).Sum();

        var best = Residual(estimate);
        foreach (var delta in new[] { 0.01f, -0.01f })
        {
            Assert.True(Residual(estimate with { M11 = estimate.M11 + delta, M22 = estimate.M22 + delta }) > best);
            Assert.True(Residual(estimate with { M31 = estimate.M31 + (delta * 100) }) > best);
        }
    }
}
