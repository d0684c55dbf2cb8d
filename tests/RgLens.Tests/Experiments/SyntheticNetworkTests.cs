using RgLens.Data;
using RgLens.Experiments;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Sampling;

namespace RgLens.Tests.Experiments;

/// <summary>
/// The verdict logic on networks whose answer is known (issue 4): a pyramid whose every layer keeps
/// every second unit of the previous one is exactly a decimation, so layer l must read R_2^l(θ0);
/// a network whose units ignore the input must read K = 0.
/// </summary>
public class SyntheticNetworkTests
{
    /// <summary>A 99.99% interval is ±3.9 se: the tests' 4-standard-error rule, stated as "within the CI".</summary>
    private const double Confidence = 0.9999;

    private static Network DecimatingPyramid(int n, int depth)
    {
        var widths = Enumerable.Range(0, depth + 1).Select(l => n >> l).ToArray();
        var spec = NetworkSpec.Autoencoder(widths, Activation.Tanh);
        var weights = new List<float[]>();
        var biases = new List<float[]>();
        for (int l = 1; l <= spec.Depth; l++)
        {
            int inputs = spec.Widths[l - 1], outputs = spec.Widths[l];
            var w = new float[outputs * inputs];
            if (l <= depth)
                for (int o = 0; o < outputs; o++) w[o * inputs + 2 * o] = 3f; // unit o copies unit 2o: decimation by 2
            weights.Add(w);
            biases.Add(new float[outputs]);
        }
        return Network.FromWeights(spec, weights, biases);
    }

    [Fact]
    public void AnExactDecimationNetworkReadsTheRgFlowWithinItsIntervals()
    {
        var theta0 = new IsingParameters(0.8, 0.2);
        var config = new CorrespondenceConfig { Theta0 = theta0, Length = 64, Compressions = [8], Readings = [LayerReading.Sign], Seeds = 1, ConfidenceLevel = Confidence };
        var probe = IsingSampler.Sample(config.InputModel, 8000, seed: 31).Convert<float>();
        var layers = NetworkProbe.Layers(DecimatingPyramid(64, 3), probe, config.Readings, Boundary.Periodic, replicates: 200, seed: 4, allPairs: false);
        var rg = new RgSide(RgFlow.Run(theta0, 2, 3), new Dictionary<int, ChainParameters> { [8] = RgFlow.Decimate(theta0, 8) });
        var combined = layers.Select(l => new CombinedEstimate(Objective.Autoencoder, 8, l.Layer, LayerReading.Sign, l.Readings[0].Parameters, null,
            new RgLens.Estimation.ParameterEstimate("multi_information", 0, 0, 0, 0))).ToArray();
        var verdicts = VerdictBuilder.Verdicts(config, rg, combined);
        var layerwise = verdicts.Where(v => v.Kind == "c").ToArray();
        Assert.Equal(6, layerwise.Length); // 3 layers × (K, h)
        Assert.All(layerwise, v => Assert.True(v.Verdict.Within, v.Verdict.Text));
        Assert.All(verdicts.Where(v => v.Kind == "b"), v => Assert.True(v.Verdict.Within, v.Verdict.Text));
        // The third layer is R_8(θ0): its coupling is near, but measurably not, the fixed point's.
        Assert.Equal(RgFlow.Decimate(theta0, 8).Values(), rg.Layer(3).Values(), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void UnitsThatIgnoreTheInputReadZeroCoupling()
    {
        var spec = NetworkSpec.Autoencoder([32, 16, 8], Activation.Tanh);
        var zero = Network.FromWeights(spec,
            Enumerable.Range(1, spec.Depth).Select(l => new float[spec.Widths[l] * spec.Widths[l - 1]]).ToArray(),
            Enumerable.Range(1, spec.Depth).Select(l => new float[spec.Widths[l]]).ToArray());
        var probe = IsingSampler.Sample(new ChainModel(new IsingParameters(1.0, 0.3), 32), 6000, seed: 9).Convert<float>();
        var layers = NetworkProbe.Layers(zero, probe, [LayerReading.Stochastic], Boundary.Periodic, replicates: 200, seed: 2, allPairs: true);
        foreach (var layer in layers)
        {
            var m = layer.Readings[0];
            var k = RgLens.Comparison.Verdict.Of("K", m["K"], 0, Confidence);
            var h = RgLens.Comparison.Verdict.Of("h", m["h"], 0, Confidence);
            Assert.True(k.Within, k.Text);
            Assert.True(h.Within, h.Text);
            Assert.True(m.MaxAbsCoupling < 4.5 / Math.Sqrt(6000), $"max |J| = {m.MaxAbsCoupling}");
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
