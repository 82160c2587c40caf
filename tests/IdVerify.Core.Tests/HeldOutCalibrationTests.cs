using IdVerify.Core.Evaluation;
using MathNet.Numerics.Distributions;

namespace IdVerify.Core.Tests;

public sealed class HeldOutCalibrationTests
{
    // 2,500 people, one unit vector each in 24 dimensions (seeded): about 3.1 million impostor pairs, cosines near N(0, 1/24).
    private static readonly IReadOnlyList<CalibrationFace> Strangers = RandomFaces(2_500, 24, seed: 7);

    [Theory]
    [InlineData(1e-2)]
    [InlineData(1e-3)]
    [InlineData(1e-4)]
    [InlineData(1e-5)]
    public void Threshold_keeps_the_95_percent_upper_bound_within_the_target_and_the_next_lower_one_would_not(double target)
    {
        var scores = PairScores.Of(Strangers);
        var chosen = ConservativeThreshold.Choose(scores, target)!;

        Assert.Equal(scores.FalseMatches(chosen.Threshold), chosen.FalseMatches);
        Assert.True(chosen.FmrUpperBound95 <= target, $"bound {chosen.FmrUpperBound95} at {chosen.Threshold}");
        Assert.True(chosen.FalseMatches / (double)chosen.Impostors < target, "the point estimate sits below the bound");
        var lower = scores.FalseMatches(chosen.Threshold - 1e-4);
        Assert.True(ScoreStatistics.UpperBound95((int)lower, chosen.Impostors) > target, $"{lower} false matches at {chosen.Threshold - 1e-4} would still hold");
    }

    [Fact]
    public void A_target_the_pairs_cannot_bound_is_not_calibrated()
    {
        // 60 people: 1,770 impostor pairs; zero false matches bound the FMR only below 3/1,770, above 1e-3.
        var scores = PairScores.Of(RandomFaces(60, 24, seed: 3));

        Assert.NotNull(ConservativeThreshold.Choose(scores, 1e-2));
        Assert.Null(ConservativeThreshold.Choose(scores, 1e-3));
    }

    [Fact]
    public void Upper_bound_on_millions_of_trials_matches_the_Poisson_limit()
    {
        // For p this small the Clopper–Pearson bound equals the chi-square (Poisson) one: χ²(0.95; 2k + 2) / 2n.
        const int errors = 100, trials = 10_000_000;
        var poisson = ChiSquared.InvCDF((2 * errors) + 2, 0.95) / (2.0 * trials);

        Assert.Equal(poisson, ScoreStatistics.UpperBound95(errors, trials), poisson * 1e-3);
    }

    [Fact]
    public void Folds_split_people_not_photos_and_each_fold_is_checked_on_the_other()
    {
        // Two photos per person (the second a slightly moved copy): genuine pairs exist, and no person is in both folds.
        var random = new Random(11);
        var faces = Strangers.Take(1_200).SelectMany(f => new[] { f, f with { Path = f.Path + "-b", Embedding = Nudge(f.Embedding, random) } }).ToList();

        var result = HeldOutCalibration.Run([new CalibrationSource("synthetic", faces, [])], [1e-2, 1e-3]);

        var source = Assert.Single(result.Sources);
        Assert.Equal(1_200, source.Genuine);
        Assert.Equal(source.ImpostorsPerFold.Sum() + CrossFoldImpostors(faces), source.Impostors);
        Assert.All(result.Folds.Where(f => f.Fold != HeldOutCalibration.WholeSource), f => Assert.Equal(source.ImpostorsPerFold[1 - f.Fold], f.HeldOutImpostors));
        var shipped = result.Shipped.Single(s => s.FmrTarget == 1e-2);
        Assert.Equal(result.Folds.Where(f => f.FmrTarget == 1e-2).Max(f => f.Calibrated!.Threshold), shipped.Threshold);
    }

    private static long CrossFoldImpostors(IReadOnlyList<CalibrationFace> faces)
    {
        var perFold = faces.GroupBy(f => IdentitySplit.FoldOf(f.IdentityKey)).Select(g => (long)g.Count()).ToList();
        return perFold.Count == 2 ? perFold[0] * perFold[1] : 0;
    }

    private static float[] Nudge(float[] vector, Random random)
    {
        var moved = vector.Select(v => v + (float)((random.NextDouble() - 0.5) * 0.1)).ToArray();
        var norm = MathF.Sqrt(moved.Sum(v => v * v));
        return [.. moved.Select(v => v / norm)];
    }

    private static List<CalibrationFace> RandomFaces(int people, int dimensions, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, people).Select(i =>
        {
            var v = Enumerable.Range(0, dimensions).Select(_ => (float)Normal.Sample(random, 0, 1)).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return new CalibrationFace($"p{i}.jpg", $"s\u001fperson-{i}", [.. v.Select(x => x / norm)]);
        })];
    }
}
