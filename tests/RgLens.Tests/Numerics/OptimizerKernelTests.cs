using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

public class OptimizerKernelTests
{
    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void AdamVectorPathsMatchTheScalarReferenceBitForBit(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        var random = new Random(31);
        for (int length = 0; length <= 70; length++)
        {
            var p = GemmTests.Fill(random, length);
            var m = GemmTests.Fill(random, length);
            var v = GemmTests.Fill(random, length).Select(Math.Abs).ToArray();
            var g = GemmTests.Fill(random, length);
            var s = new AdamKernel.Settings(1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
            var (p2, m2, v2) = ((float[])p.Clone(), (float[])m.Clone(), (float[])v.Clone());
            AdamKernel.Update(p, m, v, g, s, path);
            AdamKernel.Update(p2, m2, v2, g, s, KernelPath.Scalar);
            Assert.Equal(p2, p);
            Assert.Equal(m2, m);
            Assert.Equal(v2, v);
        }
    }

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void SgdVectorPathsMatchTheScalarReferenceBitForBit(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        var random = new Random(32);
        for (int length = 0; length <= 70; length++)
        {
            var p = GemmTests.Fill(random, length);
            var b = GemmTests.Fill(random, length);
            var g = GemmTests.Fill(random, length);
            var (p2, b2) = ((float[])p.Clone(), (float[])b.Clone());
            SgdKernel.Update(p, b, g, 0.1f, 0.9f, 0.01f, path);
            SgdKernel.Update(p2, b2, g, 0.1f, 0.9f, 0.01f, KernelPath.Scalar);
            Assert.Equal(p2, p);
            Assert.Equal(b2, b);
        }
    }

    [Fact]
    public void AdamFirstStepMovesEachParameterByTheLearningRate()
    {
        // Kingma and Ba §2: with bias correction the first step is lr·g/(|g| + ε) ≈ ±lr.
        float[] p = [1f, -2f], m = new float[2], v = new float[2], g = [0.3f, -5f];
        AdamKernel.Update(p, m, v, g, new AdamKernel.Settings(0.01f, 0.9f, 0.999f, 1e-8f, 0f, 1), KernelPaths.Best);
        Assert.Equal(0.99f, p[0], 1e-6f);
        Assert.Equal(-1.99f, p[1], 1e-6f);
    }

    [Fact]
    public void LengthMismatchIsRefused()
    {
        Assert.Throws<ArgumentException>(() => AdamKernel.Update(new float[3], new float[3], new float[2], new float[3], new AdamKernel.Settings(1, 0.9f, 0.99f, 1e-8f, 0, 1), KernelPaths.Best));
        Assert.Throws<ArgumentException>(() => SgdKernel.Update(new float[3], new float[2], new float[3], 1, 0.9f, 0, KernelPaths.Best));
    }
}
