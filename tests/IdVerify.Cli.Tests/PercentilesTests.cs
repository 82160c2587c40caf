using IdVerify.Cli.Bench;

namespace IdVerify.Cli.Tests;

public sealed class PercentilesTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_samples_never_interpolated()
    {
        var p = Percentiles.Of(Enumerable.Range(1, 20).Select(i => (double)i).Reverse());

        Assert.Equal(new Percentiles(10, 19, 20, 20, 20), p);
    }
}
