using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Tests.Networks;

internal static class NetworkTestSupport
{
    /// <summary>
    /// A worst-case bound on |ONNX Runtime − Network.Forward| for a float32 dense network on inputs
    /// bounded by <paramref name="inputBound"/>: the two engines sum each layer's n_{l−1} + 1 terms in
    /// different orders, each sum off by at most γ_n · Σ|w·z| + |c| with γ_n = n·ε/(1 − n·ε); the error
    /// of z_{l−1} is amplified by the largest absolute row sum of W_l (tanh, sigmoid, relu are
    /// 1-Lipschitz); and the activations themselves may differ by a few ulps (4ε).
    /// </summary>
    public static double Float32Bound(Network network, double inputBound)
    {
        const double Eps = 5.96e-8; // 2^-24, float32's unit round-off
        double error = 0, bound = inputBound;
        for (int l = 1; l <= network.Depth; l++)
        {
            int n = network.Spec.Widths[l - 1] + 1;
            float[] w = network.GetWeights(l), c = network.GetBiases(l);
            int units = network.Spec.Widths[l], inputs = network.Spec.Widths[l - 1];
            double rowSum = 0, maxBias = c.Length == 0 ? 0 : c.Max(Math.Abs);
            for (int o = 0; o < units; o++) rowSum = Math.Max(rowSum, Enumerable.Range(0, inputs).Sum(i => Math.Abs(w[o * inputs + i])));
            double gamma = n * Eps / (1 - n * Eps);
            double pre = rowSum * bound + maxBias;
            error = rowSum * error + gamma * pre + 4 * Eps * Math.Max(1, pre);
            bound = network.Spec.Layers[l - 1].Activation == Activation.Identity || network.Spec.Layers[l - 1].Activation == Activation.Relu ? pre : 1;
        }
        return error;
    }

    public static void AssertClose(SampleMatrix<float> expected, SampleMatrix<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        double worst = 0;
        for (int i = 0; i < expected.Data.Length; i++) worst = Math.Max(worst, Math.Abs(expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= tolerance, $"{what}: max |difference| {worst:G3} > tolerance {tolerance:G3}");
    }
}
