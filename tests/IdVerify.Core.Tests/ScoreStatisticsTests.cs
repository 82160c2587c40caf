using IdVerify.Core.Evaluation;
using IdVerify.Core.Models;
using IdVerify.Tests;

namespace IdVerify.Core.Tests;

public sealed class ScoreStatisticsTests
{
    // 10 genuine scores 0.50..0.95 and 1,000 impostor scores -0.4995..0.4995 (step 0.001).
    private static readonly ScoreStatistics Separated = new(
        Enumerable.Range(0, 10).Select(i => 0.5 + (i * 0.05)),
        Enumerable.Range(0, 1000).Select(i => -0.4995 + (i * 0.001)));

    [Fact]
    public void Threshold_for_a_target_allows_at_most_that_many_false_matches()
    {
        var point = Separated.At(1e-2);

        // 10 of 1,000 impostors may pass: the threshold sits just above the 11th highest (0.4895).
        Assert.Equal(0.4896, point.Threshold, 6);
        Assert.Equal(10, point.FalseMatches);
        Assert.Equal(0, point.Fnmr);
        Assert.True(point.Supported);
    }

    [Fact]
    public void A_target_the_impostor_count_cannot_support_is_flagged_with_an_upper_bound()
    {
        var point = Separated.At(1e-4);

        Assert.False(point.Supported);
        Assert.Equal(0, point.FalseMatches);
        // Zero errors in 1,000 trials: the one-sided 95% bound is about 3/1,000.
        Assert.InRange(point.FmrUpperBound95, 0.0029, 0.0031);
    }

    [Theory]
    // Exact one-sided 95% Clopper–Pearson bounds (the binomial tail solved for p): 1 − 0.05^(1/n) without errors.
    [InlineData(0, 4, 0.527129)]
    [InlineData(1, 4, 0.751395)]
    [InlineData(10, 1000, 0.016903)]
    [InlineData(0, 45_000_000, 6.657e-8)]
    [InlineData(4, 4, 1.0)]
    public void Upper_bound_is_the_clopper_pearson_one_sided_95_percent_bound(int errors, int trials, double expected)
    {
        Assert.Equal(expected, ScoreStatistics.UpperBound95(errors, trials), expected * 1e-4);
    }

    [Fact]
    public void Equal_error_rate_and_auc_of_overlapping_scores()
    {
        var stats = new ScoreStatistics([0.1, 0.6, 0.7, 0.8], [0.0, 0.2, 0.3, 0.65]);

        Assert.Equal(0.25, stats.EqualErrorRate().Rate, 6);
        // Of 16 genuine-impostor comparisons, the genuine score is higher in 12.
        Assert.Equal(12.0 / 16, stats.Auc(), 6);
    }

    [Fact]
    public void Calibration_round_trips_through_the_manifest()
    {
        var directory = Directory.CreateTempSubdirectory("idverify-manifest-").FullName;
        try
        {
            var path = Path.Combine(directory, "manifest.json");
            var manifest = ModelManifest.Load(TestData.Models.ManifestPath);
            var embedder = manifest.Defaults.Embedder;
            CalibrationPoint[] points = [new(0.01, 0.25, 100, 5000, "unit test"), new(0.001, 0.33, 100, 5000, "unit test")];

            manifest.WithCalibration(embedder, points).Save(path);
            var reloaded = ModelManifest.Load(path);

            Assert.Equal(points, reloaded.Get(embedder, ModelRoles.Embedder).Calibration);
            Assert.Equal(manifest.Models.Select(m => (m.Id, m.Sha256, m.File)), reloaded.Models.Select(m => (m.Id, m.Sha256, m.File)));
            Assert.Equal(0.33f, Matching.MatchPolicy.For(reloaded.Get(embedder, ModelRoles.Embedder), 1e-3).Threshold);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
