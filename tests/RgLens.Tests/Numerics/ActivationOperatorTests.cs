using System.Runtime.Intrinsics;
using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

public class ActivationOperatorTests
{
    /// <summary>
    /// Vector tanh and sigmoid against the scalar reference: 5 float ulps relative. The vector tanh
    /// polynomial has 4.9e-9 approximation error, its exp 2e-7 (Cephes expf); measured worst case
    /// against Math.Tanh 1.7e-7 over |x| in 1e-10 … 1e2.
    /// </summary>
    private const double RelativeTolerance = 3e-7;

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void TanhAndSigmoidMatchTheReferenceAtEveryLength(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        var random = new Random(21);
        for (int length = 0; length <= 70; length++)
        {
            var x = Values(random, length);
            AssertClose<ActivationOperators.Tanh>(x, path);
            AssertClose<ActivationOperators.Sigmoid>(x, path);
        }
    }

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void TanhIsAccurateOverManyDecades(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        var random = new Random(22);
        var x = new float[20000];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(Math.Pow(10, random.NextDouble() * 12 - 10) * (random.Next(2) * 2 - 1));
        var y = (float[])x.Clone();
        Elementwise.Apply<ActivationOperators.Tanh>(y, path);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(x[i]);
            Assert.True(Math.Abs(y[i] - exact) <= RelativeTolerance * Math.Abs(exact), $"tanh({x[i]}) = {y[i]}, exact {exact}");
        }
    }

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void ReluAndTheBackwardOperatorsMatchTheReferenceBitForBit(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        var random = new Random(23);
        for (int length = 0; length <= 70; length++)
        {
            var a = Values(random, length);
            var g = Values(random, length);
            AssertExact<ActivationOperators.Relu>(a, path);
            AssertExact<ActivationOperators.TanhBackward>(a, g, path);
            AssertExact<ActivationOperators.SigmoidBackward>(a, g, path);
            AssertExact<ActivationOperators.ReluBackward>(a, g, path);
        }
    }

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void SpecialValues(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 100f, -100f];
        var tanh = Apply<ActivationOperators.Tanh>(x, path);
        Assert.True(float.IsNaN(tanh[0]));
        Assert.Equal([1f, -1f, 0f], tanh[1..4]);
        Assert.True(float.IsNegative(tanh[4]) && tanh[4] == 0);
        Assert.Equal([1f, -1f], tanh[5..]);
        var sigmoid = Apply<ActivationOperators.Sigmoid>(x, path);
        Assert.True(float.IsNaN(sigmoid[0]));
        // e^{-x} saturates at e^88 (VectorMath.Exp), so the far negative tail is ~6e-39 rather than 0.
        Assert.Equal(1f, sigmoid[1]);
        Assert.True(sigmoid[2] is >= 0 and < 1e-37f && sigmoid[6] is >= 0 and < 1e-37f);
        Assert.Equal([0.5f, 0.5f, 1f], sigmoid[3..6]);
        var relu = Apply<ActivationOperators.Relu>(x, path);
        Assert.True(float.IsNaN(relu[0]));
        Assert.Equal([float.PositiveInfinity, 0f, 0f, 0f, 100f, 0f], relu[1..]);
    }

    [Theory]
    [MemberData(nameof(FastPathData.Names), MemberType = typeof(FastPathData))]
    public void ExpIsAccurateOnItsRange(string pathName)
    {
        var path = FastPathData.Parse(pathName);
        // 2e-7 relative: Cephes expf's documented accuracy on [-87, 88].
        const double tolerance = 2e-7;
        var random = new Random(24);
        for (int i = 0; i < 4000; i++)
        {
            float x = (float)(random.NextDouble() * 175 - 87);
            double exact = Math.Exp(x);
            float y = path == KernelPath.Vector512
                ? VectorMath.Exp(Vector512.Create(x)).ToScalar()
                : VectorMath.Exp(Vector256.Create(x)).ToScalar();
            Assert.True(Math.Abs(y - exact) <= tolerance * exact, $"exp({x}) = {y}, exact {exact}");
        }
    }

    private static float[] Values(Random random, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(random.NextDouble() * 12 - 6);
        return v;
    }

    private static float[] Apply<T>(float[] x, KernelPath path) where T : IUnaryOperator
    {
        var y = (float[])x.Clone();
        Elementwise.Apply<T>(y, path);
        return y;
    }

    private static void AssertClose<T>(float[] x, KernelPath path) where T : IUnaryOperator
    {
        var fast = Apply<T>(x, path);
        var reference = Apply<T>(x, KernelPath.Scalar);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(fast[i] - reference[i]) <= RelativeTolerance * Math.Abs(reference[i]) + 1e-30, $"{typeof(T).Name}({x[i]}): {fast[i]} vs {reference[i]}");
    }

    private static void AssertExact<T>(float[] x, KernelPath path) where T : IUnaryOperator =>
        Assert.Equal(Apply<T>(x, KernelPath.Scalar), Apply<T>(x, path));

    private static void AssertExact<T>(float[] a, float[] g, KernelPath path) where T : IBinaryOperator
    {
        var fast = (float[])g.Clone();
        var reference = (float[])g.Clone();
        Elementwise.Apply<T>(a, fast, path);
        Elementwise.Apply<T>(a, reference, KernelPath.Scalar);
        Assert.Equal(reference, fast);
    }
}
