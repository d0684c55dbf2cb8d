using RgLens.Claims;
using RgLens.Comparison;

namespace RgLens.Tests.Claims;

/// <summary>The interval printed for a comparison is the one its tests judge, the target's standard error included.</summary>
public class TestIntervalTests
{
    [Theory]
    [InlineData(1, 0.0)]      // one seed, exact target: the reading's own interval
    [InlineData(1, 0.004)]    // one seed, target fitted to data (probe --model, correspond --data)
    [InlineData(3, 0.004)]    // three seeds: t with 2 degrees of freedom
    public void APrintedIntervalInsideOrOutsideTheMarginIsTheVerdictOfItsSingleComparison(int seeds, double targetSe)
    {
        // Estimates swept across target ± δ: for a single comparison (no Holm), p_eq < α exactly
        // when the printed interval lies inside target ± δ, and p_diff < α exactly when it lies
        // outside. (Before, the interval left the target's SE out: 0.864 [0.853, 0.874] lay inside
        // 0.866 ± 0.014 with an inconclusive verdict.)
        const double target = 0.866, margin = 0.014, alpha = 0.05;
        int agreeInside = 0, agreeOutside = 0;
        for (double estimate = 0.82; estimate <= 0.91; estimate += 0.0005)
        {
            var per = Enumerable.Range(0, seeds).Select(s => estimate + 0.001 * (s - (seeds - 1) / 2.0)).ToArray();
            var combined = RandomEffects.Combine(per, Enumerable.Repeat(0.003, seeds).ToArray(), 1 - alpha);
            var test = new ClaimTest("K", "K", 2, 1, combined, target, TestKind.Equivalence, margin, null, targetSe);
            var (lower, upper) = test.TestInterval;
            if (targetSe == 0) Assert.Equal((combined.Lower, combined.Upper), (lower, upper));
            else Assert.True(upper - lower > combined.Upper - combined.Lower);
            var p = test.PValues();
            bool inside = lower > target - margin && upper < target + margin;
            bool outside = lower > target + margin || upper < target - margin;
            // Exactly on an edge the two can differ by rounding; leave a hair of room there.
            bool nearEdge = new[] { lower, upper }.Any(v => Math.Abs(Math.Abs(v - target) - margin) < 1e-9);
            if (nearEdge) continue;
            Assert.Equal(inside, p.Equivalence < alpha);
            Assert.Equal(outside, p.Difference < alpha);
            if (inside) agreeInside++;
            if (outside) agreeOutside++;
        }
        // The sweep met both kinds of interval (for 3 seeds the t(2) interval is too wide to fit inside).
        Assert.True(agreeOutside > 0);
        if (seeds == 1) Assert.True(agreeInside > 0);
    }
}
