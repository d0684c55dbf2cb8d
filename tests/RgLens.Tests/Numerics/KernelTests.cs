using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

public class KernelTests
{
    [Fact]
    public void LaneRandomPathsProduceTheSameStream()
    {
        foreach (ulong key in new ulong[] { 0, 1, 42, ulong.MaxValue })
        {
            var a = new LaneRandom(key);
            var b = new LaneRandom(key);
            var c = new LaneRandom(key);
            var x = new ulong[8 * 37];
            var y = new ulong[8 * 37];
            var z = new ulong[8 * 37];
            for (int round = 0; round < 3; round++)
            {
                a.Fill(x);
                b.FillScalar(y);
                c.FillPortable(z);
                Assert.Equal(y, x);
                Assert.Equal(y, z);
            }
        }
    }

    [Fact]
    public void LaneRandomIsUniformEnough()
    {
        // Mean of the top bit over 8·10⁵ draws: binomial standard error 0.5/√n.
        var r = new LaneRandom(7);
        var u = new ulong[800_000];
        r.Fill(u);
        double mean = u.Average(v => (double)(v >> 63));
        Assert.True(Math.Abs(mean - 0.5) < Tolerances.StandardErrors * 0.5 / Math.Sqrt(u.Length));
        Assert.Equal(u.Length, u.Distinct().Count());
    }

    [Fact]
    public void SpinBitKernelsMatchTheirReferences()
    {
        var rng = RandomStream.For(3, "kernel-test");
        var u = new ulong[64];
        var fast = new sbyte[64];
        var slow = new sbyte[64];
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int i = 0; i < 64; i++) u[i] = rng.NextUInt64();
            ulong threshold = trial % 7 == 0 ? ulong.MaxValue : trial % 11 == 0 ? 0 : rng.NextUInt64();
            int count = 1 + trial % 64;
            Assert.Equal(SpinBits.BelowThresholdScalar(u, threshold, count), SpinBits.BelowThreshold(u, threshold, count));
            Assert.Equal(SpinBits.BelowThresholdScalar(u, threshold, 64), SpinBits.BelowThreshold(u, threshold, 64));
            var t = new ulong[64];
            for (int i = 0; i < 64; i++) t[i] = trial % 5 == 0 ? u[i] : rng.NextUInt64();
            Assert.Equal(SpinBits.BelowThresholdsScalar(u, t, count), SpinBits.BelowThresholds(u, t, count));
            Assert.Equal(SpinBits.BelowThresholdsScalar(u, t, 64), SpinBits.BelowThresholds(u, t, 64));
            ulong x = rng.NextUInt64();
            Assert.Equal(SpinBits.PrefixXorScalar(x), SpinBits.PrefixXor(x));
            ulong y = rng.NextUInt64();
            int start = trial % 3 == 0 ? 1 : 0;
            for (ulong state = 0; state < 2; state++)
                Assert.Equal(SpinBits.StateDependentFlipsScalar(x, y, state, start, count), SpinBits.StateDependentFlips(x, y, state, start, count));
            SpinBits.Expand(x, fast, count);
            SpinBits.ExpandScalar(x, slow, count);
            Assert.Equal(slow.AsSpan(0, count).ToArray(), fast.AsSpan(0, count).ToArray());
            SpinBits.Expand(x, fast, 64);
            SpinBits.ExpandScalar(x, slow, 64);
            Assert.Equal(slow, fast);
        }
    }

    [Fact]
    public void RandomStreamDerivationSeparatesPurposesAndIndices()
    {
        var keys = new HashSet<ulong>();
        foreach (string p in new[] { "a", "b", "bootstrap", "ising-sampler" })
            for (int i = 0; i < 100; i++) Assert.True(keys.Add(RandomStream.Derive(1, p, i)));
        Assert.Equal(RandomStream.Derive(5, "x", 3), RandomStream.Derive(5, "x", 3));
        var s = RandomStream.For(9, "ints");
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[s.NextInt(7)]++;
        // Each count is binomial(70000, 1/7): standard error √(n p (1 − p)) ≈ 92.6.
        Assert.All(counts, c => Assert.True(Math.Abs(c - 10_000) < Tolerances.StandardErrors * 92.6));
    }
}
