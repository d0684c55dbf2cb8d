using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

public class GemmTests
{
    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void EveryShapeMatchesTheScalarReferenceBitForBit(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        // Every remainder of the 8- and 4-row tiles, of the 32/16/8-column tiles and of the depth block.
        var random = new Random(11);
        int cases = 0;
        foreach (int m in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 13, 17 })
            foreach (int n in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 64, 65 })
                foreach (int k in new[] { 0, 1, 5, 16, 33 })
                    foreach (bool transposeA in new[] { false, true })
                        foreach (var init in Enum.GetValues<GemmInit>())
                        {
                            AssertMatchesReference(random, m, n, k, transposeA, init, path);
                            cases++;
                        }
        Assert.Equal(10 * 15 * 5 * 2 * 3, cases);
    }

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void BlockedShapesMatchTheReference(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        // Depth beyond one block (256) and columns beyond one column block (256), with remainders;
        // the last two are large enough (k·n ≥ Gemm.PackThreshold) for B to be packed.
        var random = new Random(12);
        AssertMatchesReference(random, 19, 300, 530, transposeA: false, GemmInit.Bias, path);
        AssertMatchesReference(random, 21, 270, 260, transposeA: true, GemmInit.Accumulate, path);
        Assert.True(523L * 517 >= Gemm.PackThreshold);
        AssertMatchesReference(random, 19, 523, 517, transposeA: false, GemmInit.Bias, path);
        AssertMatchesReference(random, 13, 530, 520, transposeA: true, GemmInit.Zero, path);
        // The conv layers' weight gradients: few columns (8, 24, 1), a deep sum over samples × sites.
        AssertMatchesReference(random, 11, 8, 700, transposeA: false, GemmInit.Zero, path);
        AssertMatchesReference(random, 16, 24, 600, transposeA: true, GemmInit.Zero, path);
        AssertMatchesReference(random, 9, 25, 300, transposeA: false, GemmInit.Bias, path);
        AssertMatchesReference(random, 24, 1, 600, transposeA: false, GemmInit.Zero, path);
    }

    [Fact]
    public void StridedOperandsAreRespected()
    {
        // A, B and C inside larger row strides: the padding must be neither read into C nor written.
        var random = new Random(13);
        int m = 6, n = 20, k = 9, lda = 12, ldb = 25, ldc = 23;
        var a = Fill(random, m * lda);
        var b = Fill(random, k * ldb);
        var c = Fill(random, m * ldc);
        var expected = (float[])c.Clone();
        GemmReference.Multiply(m, n, k, a, lda, false, b, ldb, expected, ldc, GemmInit.Zero, default);
        Gemm.Multiply(m, n, k, a, lda, false, b, ldb, c, ldc, GemmInit.Zero, default, KernelPaths.Best);
        Assert.Equal(expected, c);
    }

    [Fact]
    public void TheReferenceIsAMatrixProduct()
    {
        // Against a double-precision triple loop: float32 accumulation over k = 40 terms of size ~1
        // stays within 40 ulp-scale errors, far below 1e-4.
        const double tolerance = 1e-4;
        var random = new Random(14);
        int m = 5, n = 7, k = 40;
        var a = Fill(random, m * k);
        var b = Fill(random, k * n);
        var bias = Fill(random, n);
        var c = new float[m * n];
        GemmReference.Multiply(m, n, k, a, k, false, b, n, c, n, GemmInit.Bias, bias);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = bias[j];
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                Assert.Equal(s, c[i * n + j], tolerance);
            }
    }

    [Fact]
    public void ShortOperandsAreRefusedWithTheirName()
    {
        var ok = new float[100];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, new float[15], 4, false, ok, 4, ok, 4, GemmInit.Zero, default, KernelPaths.Best));
        Assert.Equal("a", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, ok, 4, false, new float[15], 4, ok, 4, GemmInit.Zero, default, KernelPaths.Best));
        Assert.Equal("b", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, ok, 4, false, ok, 4, new float[15], 4, GemmInit.Zero, default, KernelPaths.Best));
        Assert.Equal("c", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(4, 4, 4, ok, 4, false, ok, 4, ok, 4, GemmInit.Bias, new float[3], KernelPaths.Best));
        Assert.Equal("bias", e.ParamName);
    }

    private static void AssertMatchesReference(Random random, int m, int n, int k, bool transposeA, GemmInit init, KernelPath path)
    {
        int lda = transposeA ? m : Math.Max(k, 1);
        var a = Fill(random, transposeA ? k * m : m * Math.Max(k, 1));
        var b = Fill(random, Math.Max(k * n, 1));
        var bias = Fill(random, n);
        var c = Fill(random, m * n);
        var expected = (float[])c.Clone();
        GemmReference.Multiply(m, n, k, a, lda, transposeA, b, n, expected, n, init, bias);
        Gemm.Multiply(m, n, k, a, lda, transposeA, b, n, c, n, init, bias, path);
        Assert.True(expected.AsSpan().SequenceEqual(c), $"m={m} n={n} k={k} transposeA={transposeA} init={init} path={path}");
    }

    internal static float[] Fill(Random random, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }
}
