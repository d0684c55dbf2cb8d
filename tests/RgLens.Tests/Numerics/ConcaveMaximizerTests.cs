using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

public class ConcaveMaximizerTests
{
    private static readonly double[] Centre = [-1.0105054138, 1.0108673127];

    /// <summary>
    /// f(x) = −Σ ln cosh(x_i − c_i) − ½ (x − c)ᵀ A (x − c), concave, not quadratic (so Newton needs
    /// several steps), with exact gradient and Hessian; its value carries deterministic "round-off" of
    /// relative size <paramref name="noise"/> (a hash of x), as a mean over millions of terms does.
    /// </summary>
    private static double Value(double[] x, double[] g, double noise)
    {
        double[,] a = { { 0.2211748, 0.2212160 }, { 0.2212160, 0.3249554 } };
        double f = -0.6332;
        for (int i = 0; i < 2; i++)
        {
            double u = x[i] - Centre[i];
            f -= Math.Log(Math.Cosh(u));
            g[i] = -Math.Tanh(u);
            for (int j = 0; j < 2; j++)
            {
                g[i] -= a[i, j] * (x[j] - Centre[j]);
                f -= 0.5 * u * a[i, j] * (x[j] - Centre[j]);
            }
        }
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(x[0]) * 0x9E3779B97F4A7C15UL ^ (ulong)BitConverter.DoubleToInt64Bits(x[1]);
        double hash = (bits >> 11) * (1.0 / (1UL << 53)) - 0.5;
        return f + noise * Math.Abs(f) * hash;
    }

    private static void Hessian(double[] x, double[] h)
    {
        double t0 = Math.Tanh(x[0] - Centre[0]), t1 = Math.Tanh(x[1] - Centre[1]);
        h[0] = -0.2211748 - (1 - t0 * t0);
        h[1] = h[2] = -0.2212160;
        h[3] = -0.3249554 - (1 - t1 * t1);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-13)]
    [InlineData(1e-12)]
    [InlineData(4e-12)]
    [InlineData(1e-10)]
    public void ConvergesWhenTheValueIsNoisierThanTheLastStepsGain(double noise)
    {
        var r = ConcaveMaximizer.Maximize((x, g) => Value(x, g, noise), Hessian, [-0.2, 0.3], 1e-11);
        Assert.True(r.Converged, $"not converged after {r.Iterations} iterations");
        Assert.InRange(r.Iterations, 1, 8);
        Assert.Equal(Centre[0], r.Argmax[0], 1e-10);
        Assert.Equal(Centre[1], r.Argmax[1], 1e-10);
    }

    [Fact]
    public void StillHalvesAStepThatLowersTheValue()
    {
        // f = −x⁴ with a Hessian far too flat: every Newton step overshoots and must be halved; the
        // accepted points (where the Hessian is asked for) never lose value.
        double last = double.NaN;
        var accepted = new List<double>();
        var r = ConcaveMaximizer.Maximize((x, g) =>
        {
            g[0] = -4 * x[0] * x[0] * x[0];
            return last = -x[0] * x[0] * x[0] * x[0];
        }, (_, h) => { accepted.Add(last); h[0] = -1e-3; }, [1.0], 1e-9, maxIterations: 400);
        Assert.True(r.Converged);
        Assert.Equal(0, r.Argmax[0], 1e-2);
        Assert.True(accepted.Count > 3);
        for (int i = 1; i < accepted.Count; i++) Assert.True(accepted[i] >= accepted[i - 1], $"value fell at accepted point {i}");
    }
}
