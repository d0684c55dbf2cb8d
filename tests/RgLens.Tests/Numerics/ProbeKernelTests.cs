using RgLens.Data;
using RgLens.Estimation;
using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

/// <summary>The fast kernels of the probes, each against its plain reference.</summary>
public class ProbeKernelTests
{
    private static double[] SpdMatrix(int d, ulong seed)
    {
        var rng = new RandomStream(seed);
        var b = new double[d * d];
        for (int i = 0; i < b.Length; i++) b[i] = rng.NextGaussian();
        var a = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = i == j ? d : 0;
                for (int k = 0; k < d; k++) s += b[i * d + k] * b[j * d + k];
                a[i * d + j] = s;
            }
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(64)]
    [InlineData(131)]
    [InlineData(302)]
    public void CholeskyMatchesTheScalarLoopAndSolves(int d)
    {
        var a = SpdMatrix(d, 5);
        var fast = (double[])a.Clone();
        var slow = (double[])a.Clone();
        Assert.True(Cholesky.Factor(fast, d));
        Assert.True(Cholesky.FactorReference(slow, d));
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
                Assert.Equal(slow[i * d + j], fast[i * d + j], 1e-12 * Math.Max(1, Math.Abs(slow[i * d + j])));
        var rng = new RandomStream(9);
        var x = Enumerable.Range(0, d).Select(_ => rng.NextGaussian()).ToArray();
        var b = new double[d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) b[i] += a[i * d + j] * x[j];
        var solved = new double[d];
        Cholesky.Solve(fast, d, b, solved);
        for (int i = 0; i < d; i++) Assert.Equal(x[i], solved[i], 1e-10);
        // ln det from the factor against the product of the reference's diagonal.
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += 2 * Math.Log(slow[i * d + i]);
        Assert.Equal(logDet, Cholesky.LogDeterminant(fast, d), 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1029)]
    public void ColumnAccumulationGivesTheScalarLoopsBits(int width)
    {
        // Values of mixed magnitude and sign, so that rounding in any reordered or fused sum would show.
        var rng = new RandomStream(11);
        var rows = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, width).Select(_ => (float)(rng.NextGaussian() * Math.Exp(6 * rng.NextDouble() - 3))).ToArray()).ToArray();
        var mean = Enumerable.Range(0, width).Select(_ => rng.NextGaussian() / 3).ToArray();
        double[] sumFast = new double[width], sumSlow = new double[width], covFast = new double[width], covSlow = new double[width];
        double[] sqFast = new double[width], sqSlow = new double[width], devFast = new double[width], devSlow = new double[width];
        double[] scaledFast = new double[width], scaledSlow = new double[width];
        foreach (var row in rows)
        {
            double e = rng.NextGaussian();
            ColumnAccumulate.AddScaled(row, e, scaledFast);
            ColumnAccumulate.AddScaledScalar(row, e, scaledSlow);
            // The dot product sums by lanes: not the scalar order, the same to rounding (relative to Σ|row·mean|).
            double bound = 1e-14 * row.Select((v, j) => Math.Abs(v * mean[j])).Sum() + 1e-300;
            Assert.True(Math.Abs(ColumnAccumulate.Dot(row, mean) - ColumnAccumulate.DotScalar(row, mean)) <= bound);
            ColumnAccumulate.Add(row, sumFast);
            ColumnAccumulate.AddScalar(row, sumSlow);
            ColumnAccumulate.AddCentered(row, mean, e, covFast, sqFast);
            ColumnAccumulate.AddCenteredScalar(row, mean, e, covSlow, sqSlow);
            ColumnAccumulate.AddSquaredDeviations(row, mean, devFast);
            ColumnAccumulate.AddSquaredDeviationsScalar(row, mean, devSlow);
        }
        Assert.Equal(sumSlow, sumFast);
        Assert.Equal(covSlow, covFast);
        Assert.Equal(sqSlow, sqFast);
        Assert.Equal(devSlow, devFast);
        Assert.Equal(scaledSlow, scaledFast);
        Assert.Equal(sqSlow, devFast); // the two passes' squared deviations are one computation
    }

    [Fact]
    public void NextDoublesGivesTheDrawsOfNextDoubleAndLeavesTheStreamWhereTheyWould()
    {
        var one = RandomStream.For(5, "next-doubles");
        var many = RandomStream.For(5, "next-doubles");
        foreach (int length in new[] { 0, 1, 7, 1000 })
        {
            var expected = Enumerable.Range(0, length).Select(_ => one.NextDouble()).ToArray();
            var actual = new double[length];
            many.NextDoubles(actual);
            Assert.Equal(expected, actual);
        }
        Assert.Equal(one.NextUInt64(), many.NextUInt64());
    }

    [Fact]
    public void CholeskyRefusesAMatrixThatIsNotPositiveDefinite()
    {
        double[] a = [1, 2, 2, 1];
        Assert.False(Cholesky.Factor(a, 2));
        double[] nan = [double.NaN, 0, 0, 1];
        Assert.False(Cholesky.Factor(nan, 2));
        // A pivot that fails past the first blocks of 4 rows, in a diagonal block and in a whole one.
        foreach (int d in new[] { 10, 12 })
        {
            var spd = SpdMatrix(d, 3);
            spd[(d - 2) * d + d - 2] = -1;
            Assert.False(Cholesky.Factor(spd, d));
        }
    }

    [Theory]
    [InlineData(1, 3, 2)]
    [InlineData(100, 5, 9)]
    [InlineData(5000, 37, 70)] // three chunks, the last one partial
    public void CenteredCrossProductsMatchTheDoubleLoopAndIgnoreThreads(int n, int m, int d)
    {
        var rng = new RandomStream(21);
        var x = new SampleMatrix<float>(n, m);
        var y = new SampleMatrix<float>(n, d);
        // Large means and unequal scales: centering must keep the spread's precision.
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < m; j++) x[r, j] = (float)(50 + (j + 1) * rng.NextGaussian());
            for (int j = 0; j < d; j++) y[r, j] = (float)(-3 + 0.1 * rng.NextGaussian() + 0.05 * x[r, j % m]);
        }
        var mx = CrossProducts.ColumnMeans<float>(x);
        var my = CrossProducts.ColumnMeans<float>(y);
        var reference = CrossProducts.Reference<float, float>(x, mx, y, my);
        var one = CrossProducts.Centered<float, float>(x, mx, y, my, threads: 1);
        var three = CrossProducts.Centered<float, float>(x, mx, y, my, threads: 3);
        Assert.Equal(one, three); // the same bits whatever the thread count
        // float32 chunks: relative error of a few 1e-6 of √(Σx² Σy²) (the type's remarks).
        var xx = CrossProducts.Reference<float, float>(x, mx, x, mx);
        var sx = Enumerable.Range(0, m).Select(i => Math.Sqrt(xx[i * m + i])).ToArray();
        var yy = CrossProducts.Reference<float, float>(y, my, y, my);
        var sy = Enumerable.Range(0, d).Select(i => Math.Sqrt(yy[i * d + i])).ToArray();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < d; j++)
                Assert.True(Math.Abs(one[i * d + j] - reference[i * d + j]) <= 2e-5 * sx[i] * sy[j] + 1e-12,
                    $"({i}, {j}): {one[i * d + j]} vs {reference[i * d + j]}");
        // The Gram matrix path (the same matrix twice) is symmetric and matches too.
        var gram = CrossProducts.Centered<float, float>(x, mx, x, mx, threads: 2);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) Assert.True(Math.Abs(gram[i * m + j] - gram[j * m + i]) <= 2e-5 * sx[i] * sx[j]);
    }

    [Theory]
    [InlineData(50, 7)]
    [InlineData(2100, 300)] // two chunks; the upper block triangle spans two column blocks
    public void TheGramMatrixPathMatchesTheDoubleLoop(int n, int m)
    {
        var rng = new RandomStream(8);
        var x = new SampleMatrix<float>(n, m);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < m; j++) x[r, j] = (float)(3 + rng.NextGaussian() + (j > 0 ? 0.5 * x[r, j - 1] : 0));
        var mean = CrossProducts.ColumnMeans<float>(x);
        var reference = CrossProducts.Reference<float, float>(x, mean, x, mean);
        var gram = CrossProducts.Centered<float, float>(x, mean, x, mean, threads: 2);
        Assert.Equal(gram, CrossProducts.Centered<float, float>(x, mean, x, mean, threads: 1));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double scale = Math.Sqrt(reference[i * m + i] * reference[j * m + j]);
                Assert.True(Math.Abs(gram[i * m + j] - reference[i * m + j]) <= 2e-5 * scale, $"({i}, {j})");
                Assert.Equal(gram[i * m + j], gram[j * m + i]);
            }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(63, 5)]
    [InlineData(64, 3)]
    [InlineData(40000, 11)] // more than one word block
    [InlineData(300, 4)]    // one group of four columns, no pair of the 4 × 2 kernel
    [InlineData(200, 12)]   // whole groups, an even number of columns above each
    [InlineData(130, 19)]   // a last partial group and an odd column left over
    [InlineData(33000, 37)] // both, beyond one word block
    public void SpinGramIsExact(int n, int m)
    {
        var rng = new RandomStream(33);
        var y = new SampleMatrix<sbyte>(n, m);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < m; j++)
                y[r, j] = j > 0 && rng.NextDouble() < 0.7 ? y[r, j - 1] : (rng.NextDouble() < 0.6 ? (sbyte)1 : (sbyte)-1);
        var reference = SpinGram.Reference(y);
        Assert.Equal(reference, SpinGram.Compute(y, threads: 1));
        Assert.Equal(reference, SpinGram.Compute(y, threads: 2));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 64)]
    [InlineData(130, 70)]
    [InlineData(1000, 200)]
    public void BitPackingMatchesTheOneValueAtATimeLayout(int n, int m)
    {
        var rng = new RandomStream(61);
        var y = new SampleMatrix<sbyte>(n, m);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = rng.NextDouble() < 0.5 ? (sbyte)1 : (sbyte)-1;
        int words = (n + 63) / 64;
        Assert.Equal(SpinGram.PackReference(y, words), SpinGram.Pack(y, words));
        var (_, sums) = SpinGram.ComputeWithSums(y);
        for (int j = 0; j < m; j++)
        {
            long s = 0;
            for (int r = 0; r < n; r++) s += y[r, j];
            Assert.Equal(s, sums[j]);
        }
    }

    [Fact]
    public void TheBitTransposeTransposes()
    {
        var rng = new RandomStream(62);
        var a = new ulong[64];
        for (int i = 0; i < 64; i++) a[i] = rng.NextUInt64();
        var t = (ulong[])a.Clone();
        SpinGram.Transpose64(t);
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++) Assert.Equal((a[i] >> j) & 1, (t[j] >> i) & 1);
    }

    [Fact]
    public void TheGramOfColumnMajorDataEqualsTheRowMajorOne()
    {
        const int n = 2500, m = 40;
        var rng = new RandomStream(63);
        var x = new SampleMatrix<float>(n, m);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = (float)(1 + rng.NextGaussian());
        var columns = new float[n * m];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < m; j++) columns[j * n + r] = x[r, j];
        int[] chosen = [.. Enumerable.Range(0, m).Where(j => j % 3 != 1)];
        var sub = new SampleMatrix<float>(n, chosen.Length);
        for (int r = 0; r < n; r++)
            for (int c = 0; c < chosen.Length; c++) sub[r, c] = x[r, chosen[c]];
        var mean = CrossProducts.ColumnMeans<float>(sub);
        Assert.Equal(CrossProducts.Centered<float, float>(sub, mean, sub, mean, threads: 2), CrossProducts.CenteredGramOfColumns(columns, n, chosen, mean, threads: 2));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(8, 8)]
    [InlineData(37, 19)]
    [InlineData(130, 64)]
    [InlineData(203, 75)]
    public void BlockTransposesMoveTheSameBitsAsTheirScalarLoops(int n, int m)
    {
        var rng = new RandomStream((ulong)(n * 1000 + m));
        var rows = new float[n * m];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)rng.NextGaussian() * (i % 11 == 0 ? 1e-30f : 3f);
        var site = Enumerable.Range(0, m).OrderBy(u => (u * 7919) % m).ToArray();
        var sign = Enumerable.Range(0, m).Select(u => u % 3 == 0 ? -1f : 1f).ToArray();
        var fast = new float[n * m];
        var slow = new float[n * m];
        Transpose8.ToColumns(rows, n, m, site, sign, fast);
        Transpose8.ToColumnsScalar(rows, n, m, site, sign, slow);
        Assert.Equal(slow.Select(BitConverter.SingleToInt32Bits), fast.Select(BitConverter.SingleToInt32Bits));
        // Every unit landed at its site with its sign.
        for (int r = 0; r < n; r++)
            for (int u = 0; u < m; u++) Assert.Equal(rows[r * m + u] * sign[u], fast[site[u] * n + r]);

        // Back to rows: a chunk from an offset, a subset of the columns in a new order, centered.
        int[] chosen = [.. Enumerable.Range(0, m).Where(c => c % 4 != 1).Reverse()];
        var mean = chosen.Select(c => 0.1 * c - 0.7).ToArray();
        int start = n / 3, count = n - start;
        var fastRows = new float[count * chosen.Length];
        var slowRows = new float[count * chosen.Length];
        Transpose8.ToCenteredRows(fast, n, start, count, chosen, mean, fastRows);
        Transpose8.ToCenteredRowsScalar(fast, n, start, count, chosen, mean, slowRows);
        Assert.Equal(slowRows.Select(BitConverter.SingleToInt32Bits), fastRows.Select(BitConverter.SingleToInt32Bits));
        for (int r = 0; r < count; r++)
            for (int c = 0; c < chosen.Length; c++) Assert.Equal((float)(fast[chosen[c] * n + start + r] - mean[c]), fastRows[r * chosen.Length + c]);
    }

    [Fact]
    public void RadixSortOrdersLikeArraySort()
    {
        var rng = new RandomStream(4);
        var sorter = new FloatRadixSort();
        foreach (int n in new[] { 0, 1, 2, 17, 1000, 70000 })
        {
            var keys = new float[n];
            for (int i = 0; i < n; i++)
                keys[i] = (i % 5) switch
                {
                    0 => (float)rng.NextGaussian(),
                    1 => MathF.Round((float)rng.NextGaussian() * 3), // ties
                    2 => -(float)rng.NextGaussian() * 1e30f,
                    3 => i % 3 == 0 ? -0f : 0f,
                    _ => i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                };
            var expected = (float[])keys.Clone();
            Array.Sort(expected);
            var items = Enumerable.Range(0, n).ToArray();
            var original = (float[])keys.Clone();
            var words = new ulong[n];
            sorter.SortWithRows(original, words);
            sorter.Sort(keys, items);
            // The packed words of SortWithRows: the same order, rows as payload.
            Assert.Equal(items, words.Select(FloatRadixSort.PayloadOf));
            Assert.Equal(keys.Select(BitConverter.SingleToInt32Bits), words.Select(w => BitConverter.SingleToInt32Bits(FloatRadixSort.KeyOf(w))));
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected[i], keys[i]); // −0 and +0 compare equal
                Assert.Equal(BitConverter.SingleToInt32Bits(original[items[i]]), BitConverter.SingleToInt32Bits(keys[i]));
                if (i > 0) Assert.True(keys[i - 1] <= keys[i]);
            }
            // Stable: equal keys keep their original order.
            for (int i = 1; i < n; i++)
                if (BitConverter.SingleToInt32Bits(keys[i - 1]) == BitConverter.SingleToInt32Bits(keys[i])) Assert.True(items[i - 1] < items[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(100000)]
    public void BootstrapBlocksCoverTheRowsInNearlyEqualBlocks(int rows)
    {
        var starts = Bootstrap.Blocks(rows);
        Assert.Equal(0, starts[0]);
        Assert.Equal(rows, starts[^1]);
        Assert.Equal(Math.Min(rows, Bootstrap.MaxBlocks), starts.Length - 1);
        var sizes = starts.Zip(starts.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(sizes.Min() >= 1 && sizes.Max() - sizes.Min() <= 1);
    }
}
