using RgLens.Comparison;
using RgLens.Estimation;

namespace RgLens.Tests.Comparison;

public class ComparisonTests
{
    [Fact]
    public void VerdictSaysWhetherAndByHowMuch()
    {
        var inside = Verdict.Of("K", new ParameterEstimate("K", 0.31, 0.25, 0.37, 0.03), 0.3, 0.95);
        Assert.True(inside.Within);
        Assert.StartsWith("consistent", inside.Text);
        var outside = Verdict.Of("K", new ParameterEstimate("K", 0.31, 0.25, 0.37, 0.03), 0.0, 0.95);
        Assert.False(outside.Within);
        Assert.Equal(0.31, outside.Difference, 1e-15);
        Assert.Equal(0.31 / 0.03, outside.StandardErrors, 1e-12);
        Assert.StartsWith("not consistent", outside.Text);
        Assert.Contains("10.3 se", outside.Text);
    }

    [Fact]
    public void SeedsCombineByStudentT()
    {
        var seeds = new[] { 0.1, 0.2, 0.3 }.Select(v => new ParameterEstimate("K", v, v - 0.01, v + 0.01, 0.005)).ToArray();
        var c = SeedAggregation.Combine(seeds, 0.95);
        // mean 0.2, sd 0.1, se 0.1/√3; t_{2, 0.975} = 4.302653.
        Assert.Equal(0.2, c.Estimate, 1e-15);
        Assert.Equal(0.1 / Math.Sqrt(3), c.StandardError, 1e-15);
        Assert.Equal(0.2 + 4.302652729749464 * 0.1 / Math.Sqrt(3), c.Upper, 1e-9);
        Assert.Same(seeds[0], SeedAggregation.Combine(seeds[..1], 0.95));
    }

    [Fact]
    public void FlowDirectionCountsUncertainty()
    {
        ParameterEstimate E(double v, double se = 0.01) => new("K", v, v - 2 * se, v + 2 * se, se);
        var steps = FlowDirection.Steps([E(0.8), E(0.5), E(0.49), E(0.7)]);
        Assert.Equal(new[] { "toward", "flat", "away" }, steps);
        Assert.Contains("away", FlowDirection.Summary(steps));
        Assert.Equal("toward the stable fixed point at every layer", FlowDirection.Summary(FlowDirection.Steps([E(0.8), E(0.3), E(-0.05)])));
    }

    [Fact]
    public void SpearmanOnKnownSeries()
    {
        Assert.Equal(1.0, RankCorrelation.Spearman([1, 2, 3, 4], [10, 20, 25, 100]), 1e-15);
        Assert.Equal(-1.0, RankCorrelation.Spearman([1, 2, 3, 4], [4, 3, 2, 1]), 1e-15);
        Assert.Equal(0.8, RankCorrelation.Spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 1e-12); // 1 − 6·4/(5·24)
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 2], [1, 2])));
    }
}
