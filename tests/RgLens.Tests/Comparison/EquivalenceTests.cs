using MathNet.Numerics.Distributions;
using RgLens.Comparison;

namespace RgLens.Tests.Comparison;

public class EquivalenceTests
{
    [Theory]
    // estimate, se, df, target, margin → expected (holds at 5 %, fails at 5 %)
    [InlineData(0.02, 0.01, 10, 0.0, 0.1, true, false)]    // interval [−0.002, 0.042] inside ±0.1
    [InlineData(0.30, 0.02, 10, 0.0, 0.1, false, true)]    // interval [0.255, 0.345] outside
    [InlineData(0.09, 0.02, 10, 0.0, 0.1, false, false)]   // straddles +δ
    [InlineData(-0.30, 0.02, 10, 0.0, 0.1, false, true)]   // outside below
    [InlineData(0.5, 0.1, double.PositiveInfinity, 0.45, 0.3, true, false)]
    public void TostMatchesTheConfidenceIntervalAgainstTheMargin(double estimate, double se, double df, double target, double margin, bool holds, bool fails)
    {
        var p = EquivalenceTest.Of(estimate, se, df, target, margin);
        Assert.Equal(holds, p.Equivalence < 0.05);
        Assert.Equal(fails, p.Difference < 0.05);
        // The same decision as the 95 % interval: inside target ± δ ⇔ p_eq < 0.05; wholly outside ⇔ p_diff < 0.05.
        double q = double.IsPositiveInfinity(df) ? Normal.InvCDF(0, 1, 0.975) : StudentT.InvCDF(0, 1, df, 0.975);
        double lo = estimate - q * se, hi = estimate + q * se;
        Assert.Equal(lo > target - margin && hi < target + margin, p.Equivalence < 0.05);
        Assert.Equal(lo > target + margin || hi < target - margin, p.Difference < 0.05);
    }

    [Fact]
    public void TostPValueIsTwiceTheLargerOneSidedP()
    {
        // estimate 0.05, se 0.02, df 4, target 0, δ 0.1: t_lo = (0.05 + 0.1)/0.02 = 7.5, t_hi = (0.1 − 0.05)/0.02 = 2.5.
        var p = EquivalenceTest.Of(0.05, 0.02, 4, 0, 0.1);
        double expected = 2 * (1 - StudentT.CDF(0, 1, 4, 2.5));
        Assert.Equal(expected, p.Equivalence, 12);
        Assert.Equal(1.0, p.Difference, 12);
    }

    [Fact]
    public void NonFiniteInputsGiveNaNNeverASignificantResult()
    {
        Assert.True(double.IsNaN(EquivalenceTest.Of(double.NaN, 0.1, 3, 0, 0.1).Equivalence));
        Assert.True(double.IsNaN(EquivalenceTest.Of(0, double.PositiveInfinity, 3, 0, 0.1).Difference));
        Assert.Throws<ArgumentException>(() => EquivalenceTest.Of(0, 0.1, 3, 0, 0));
        Assert.Throws<ArgumentException>(() => EquivalenceTest.Of(0, 0.1, 3, 0, double.NaN));
    }

    [Fact]
    public void ThresholdTestSaysBelowOrAbove()
    {
        Assert.True(ThresholdTest.Below(-0.5, 0.05, 5, -0.1).Equivalence < 0.05);
        Assert.True(ThresholdTest.Below(0.2, 0.05, 5, -0.1).Difference < 0.05);
        var mid = ThresholdTest.Below(-0.1, 0.05, 5, -0.1);
        Assert.Equal(1.0, mid.Equivalence, 12);
        Assert.Equal(1.0, mid.Difference, 12);
    }

    [Fact]
    public void HolmAdjustsStepDownAndKeepsNaNOut()
    {
        var adjusted = Holm.Adjust([0.01, 0.04, double.NaN, 0.03, 0.2]);
        // m = 4 finite: sorted 0.01, 0.03, 0.04, 0.2 → 0.04, 0.09, 0.09 (monotone), 0.2.
        Assert.Equal(0.04, adjusted[0], 12);
        Assert.Equal(0.09, adjusted[3], 12);
        Assert.Equal(0.09, adjusted[1], 12);
        Assert.Equal(0.2, adjusted[4], 12);
        Assert.True(double.IsNaN(adjusted[2]));
        Assert.Equal(1.0, Holm.Adjust([0.6, 0.7])[0], 12);
    }

    [Fact]
    public void RandomEffectsMatchesAHandComputedDerSimonianLaird()
    {
        double[] y = [0.10, 0.30, 0.20], se = [0.05, 0.05, 0.10];
        var c = RandomEffects.Combine(y, se, 0.95);
        // Fixed-effect weights 400, 400, 100: mean = (40 + 120 + 20)/900 = 0.2; Q = 400·0.01 + 400·0.01 + 0 = 8.
        // τ² = (8 − 2)/(900 − (160000+160000+10000)/900) = 6/533.33 = 0.01125.
        double tau2 = 6.0 / (900 - 330000.0 / 900);
        Assert.Equal(tau2, c.BetweenSeedVariance, 12);
        var w = se.Select(s => 1 / (s * s + tau2)).ToArray();
        double mean = w.Zip(y, (a, b) => a * b).Sum() / w.Sum();
        double hksj = Math.Sqrt(w.Zip(y, (a, b) => a * (b - mean) * (b - mean)).Sum() / (2 * w.Sum()));
        double se0 = Math.Max(hksj, Math.Sqrt(1 / w.Sum()));
        Assert.Equal(mean, c.Estimate, 12);
        Assert.Equal(se0, c.StandardError, 12);
        Assert.Equal(2, c.DegreesOfFreedom);
        Assert.Equal(mean + StudentT.InvCDF(0, 1, 2, 0.975) * se0, c.Upper, 12);
        Assert.Null(c.HoldsBlockedBecause);
    }

    [Fact]
    public void IdenticalSeedsFallBackToTheWithinNetworkError()
    {
        var c = RandomEffects.Combine([0.5, 0.5, 0.5], [0.1, 0.1, 0.1], 0.95);
        Assert.Equal(0, c.BetweenSeedVariance);
        Assert.Equal(0.1 / Math.Sqrt(3), c.StandardError, 12); // the fixed-effect floor, not the zero HKSJ spread
    }

    [Fact]
    public void AFailedSeedIsCountedExcludedAndBlocksHolds()
    {
        var c = RandomEffects.Combine([0.01, double.NaN, -0.01, 0.0], [0.01, 0.01, 0.01, 0.01], 0.95);
        Assert.Equal(3, c.Seeds);
        Assert.Equal(1, c.FailedFits);
        Assert.True(double.IsFinite(c.Upper));
        Assert.Contains("no finite estimate", c.HoldsBlockedBecause);
        var inf = RandomEffects.Combine([0.01, double.PositiveInfinity], [0.01, 0.01], 0.95);
        Assert.Equal(1, inf.FailedFits);
        Assert.NotNull(inf.HoldsBlockedBecause);
    }

    [Fact]
    public void OneSeedCannotSupportHolds()
    {
        var c = RandomEffects.Combine([0.0], [0.01], 0.95);
        Assert.True(double.IsPositiveInfinity(c.DegreesOfFreedom));
        Assert.Equal(-Normal.InvCDF(0, 1, 0.975) * 0.01, c.Lower, 12);
        Assert.Contains("single seed", c.HoldsBlockedBecause);
        var none = RandomEffects.Combine([double.NaN, double.NaN], [0.1, 0.1], 0.95);
        Assert.True(double.IsNaN(none.Estimate));
        Assert.Equal(2, none.FailedFits);
    }
}
