using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Tests.Networks;

internal static class NetworkTestSupport
{
    /// <summary>
    /// A worst-case bound on |ONNX Runtime − Network.Forward| for a float32 network on inputs
    /// bounded by <paramref name="inputBound"/>: the two engines sum each unit's fan-in + 1 terms in
    /// different orders (fan-in n_{l−1} for a dense layer, k · C_in for a convolution, whose
    /// upsampling and padding only copy or zero values), each sum off by at most γ_n · Σ|w·z| + |c|
    /// with γ_n = n·ε/(1 − n·ε); the error of z_{l−1} is amplified by the largest absolute row sum
    /// of W_l (a dense row, or a convolution's out-channel filter; tanh, sigmoid, relu are
    /// 1-Lipschitz); and the activations themselves may differ by a few ulps (4ε).
    /// </summary>
    public static double Float32Bound(Network network, double inputBound)
    {
        const double Eps = 5.96e-8; // 2^-24, float32's unit round-off
        double error = 0, bound = inputBound;
        for (int l = 1; l <= network.Depth; l++)
        {
            var layer = network.Spec.Layers[l - 1];
            bool conv = layer.Kind == LayerKind.Conv1d;
            int rows = conv ? layer.OutChannels : network.Spec.Widths[l], fanIn = conv ? layer.Kernel * layer.InChannels : network.Spec.Widths[l - 1];
            int n = fanIn + 1;
            float[] w = network.GetWeights(l), c = network.GetBiases(l);
            Assert.Equal(rows * fanIn, w.Length);
            double rowSum = 0, maxBias = c.Length == 0 ? 0 : c.Max(Math.Abs);
            for (int o = 0; o < rows; o++) rowSum = Math.Max(rowSum, Enumerable.Range(0, fanIn).Sum(i => Math.Abs(w[o * fanIn + i])));
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
