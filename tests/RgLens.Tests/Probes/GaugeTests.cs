using RgLens.Data;
using RgLens.Experiments;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Results;
using RgLens.Sampling;

namespace RgLens.Tests.Probes;

/// <summary>
/// A tanh unit flipped together with its outgoing weights, or units permuted within a layer,
/// leave the network's function unchanged: every gauge-fixed reading must be unchanged too.
/// </summary>
public class GaugeTests
{
    private static readonly Lazy<(Network Network, SampleMatrix<float> Probe)> s_trained = new(() =>
    {
        var model = new ChainModel(new IsingParameters(0.8, 0.2), 32);
        var data = IsingSampler.Sample(model, 2048, seed: 3).Convert<float>();
        var spec = NetworkSpec.Autoencoder([32, 16, 8, 4], Activation.Tanh);
        var net = Trainer.Train(spec, data, null, new TrainerOptions { Epochs = 3, LearningRate = 3e-3, Seed = 11 }).Network;
        return (net, IsingSampler.Sample(model, 2048, seed: 4).Convert<float>());
    });

    private static IReadOnlyList<LayerMeasurement> Read(Network n, SampleMatrix<float> probe) =>
        NetworkProbe.Layers(n, probe, Readings.All, Boundary.Periodic, replicates: 20, seed: 7, orderFree: true);

    [Fact]
    public void ReceptiveFieldsBuiltOnEachOtherAreTheFieldsOfEachLayer()
    {
        // The running product of the probe (each layer's field from the one below) and the field
        // of each layer multiplied out on its own: the same bits; and a given magnetization gives
        // the gauge computed without it.
        var (net, probe) = s_trained.Value;
        var fields = Gauge.ReceptiveFields(net, net.Depth, threads: 2);
        Assert.Equal(net.Depth, fields.Count);
        for (int l = 1; l <= net.Depth; l++)
        {
            var alone = Gauge.ReceptiveField(net, l, threads: 1);
            Assert.Equal(alone.Cast<double>(), fields[l - 1].Cast<double>());
        }
        var pre = net.Observe(probe).PreActivations(2);
        var magnetization = Gauge.Magnetization(probe);
        var given = Gauge.Fix(fields[1], net.Spec.InputWidth, probe, pre, periodic: true, threads: 2, magnetization);
        var computed = Gauge.Fix(net, 2, probe, pre, periodic: true);
        Assert.Equal(computed.Order, given.Order);
        Assert.Equal(computed.Signs, given.Signs);
        Assert.Equal(computed.Centroids, given.Centroids);
        Assert.Throws<ArgumentException>(() => Gauge.Fix(fields[1], net.Spec.InputWidth, probe, pre, true, 1, magnetization[1..]));
    }

    [Fact]
    public void TheOrderIsThatOfThePlainProductOfAbsoluteWeights()
    {
        // The documented rule, multiplied out naively: P = |W_l|⋯|W_1| with no rescaling at all.
        // The field is P up to one common factor, and the order is that of P's circular centroids.
        // (Until 2026-12-03 each row was rescaled at each step, which reweighted the units below:
        // from layer 2 on the field was not proportional to P, and this test failed.)
        var (net, probe) = s_trained.Value;
        var widths = net.Spec.Widths;
        int n = widths[0];
        double[,]? p = null;
        var obs = net.Observe(probe);
        for (int l = 1; l <= net.Depth; l++)
        {
            var w = net.GetWeights(l);
            int outs = widths[l], ins = widths[l - 1];
            var next = new double[outs, n];
            for (int o = 0; o < outs; o++)
                for (int k = 0; k < ins; k++)
                    for (int i = 0; i < n; i++)
                        next[o, i] += Math.Abs(w[o * ins + k]) * (p is null ? (k == i ? 1 : 0) : p[k, i]);
            p = next;
            var field = Gauge.ReceptiveField(net, l);
            double ratio = field[0, 0] / p[0, 0];
            for (int o = 0; o < outs; o++)
                for (int i = 0; i < n; i++) Assert.Equal(p[o, i] * ratio, field[o, i], 1e-12 * (1 + field[o, i]));
            var centroid = new double[outs];
            for (int o = 0; o < outs; o++)
            {
                double c = 0, s = 0;
                for (int i = 0; i < n; i++) { c += p[o, i] * Math.Cos(2 * Math.PI * i / n); s += p[o, i] * Math.Sin(2 * Math.PI * i / n); }
                centroid[o] = (Math.Atan2(s, c) + 2 * Math.PI) % (2 * Math.PI);
            }
            var expected = Enumerable.Range(0, outs).OrderBy(o => centroid[o]).ToArray();
            Assert.Equal(expected, Gauge.Fix(net, l, probe, obs.PreActivations(l), periodic: true).Order);
        }
    }

    [Fact]
    public void TheFieldCacheGivesEachChainsOwnFieldWhateverTheOrderAsked()
    {
        // Chains that share their lower layers (the same weight objects, as an ONNX model's chains
        // do), asked deepest first, then shallower, then again, and one chain whose first layer is
        // an equal copy: every answer is the bits of that chain's field multiplied out on its own.
        var (net, _) = s_trained.Value;
        var widths = net.Spec.Widths;
        var layers = Enumerable.Range(1, net.Depth).Select(l => new RgLens.Networks.DenseWeights(net.GetWeights(l), widths[l], widths[l - 1])).ToArray();
        var cache = new ReceptiveFieldCache(threads: 2);
        foreach (int l in new[] { net.Depth, 1, 2, net.Depth, 2 })
            Assert.Equal(Gauge.ReceptiveField(net, l, threads: 1).Cast<double>(), cache.Of(layers[..l]).Cast<double>());
        var copy = new RgLens.Networks.DenseWeights((float[])net.GetWeights(1).Clone(), widths[1], widths[0]);
        Assert.Equal(Gauge.ReceptiveField(net, 2).Cast<double>(), cache.Of([copy, layers[1]]).Cast<double>());
        Assert.Throws<ArgumentException>(() => cache.Of([layers[1], layers[0]]));
    }

    [Fact]
    public void FlippingAUnitWithItsOutgoingWeightsChangesNoReading()
    {
        var (net, probe) = s_trained.Value;
        var reference = Read(net, probe);
        foreach (var (layer, unit) in new[] { (1, 0), (1, 9), (2, 3), (3, 1) })
        {
            var flipped = Flip(net, layer, unit);
            Assert.NotEqual(net.GetWeights(layer), flipped.GetWeights(layer));
            AssertSame(reference, Read(flipped, probe), $"flip unit {unit} of layer {layer}");
        }
    }

    [Fact]
    public void PermutingUnitsChangesNoGaugeFixedReadingButChangesTheIndexOrderOne()
    {
        var (net, probe) = s_trained.Value;
        var reference = Read(net, probe);
        var rng = new Random(5);
        var permuted = net;
        for (int l = 1; l <= 3; l++) permuted = Permute(permuted, l, Enumerable.Range(0, net.Spec.Widths[l]).OrderBy(_ => rng.Next()).ToArray());
        var read = Read(permuted, probe);
        AssertSame(reference, read, "permuted", skip: "index");
        // The index-order reading is the order gauge's control: it does change.
        Assert.NotEqual(reference[0]["index"].Coupling.Estimate, read[0]["index"].Coupling.Estimate);
    }

    [Fact]
    public void TheGaugeOrdersAnExactDecimationBySiteAndOrientsItPositively()
    {
        var (_, probe) = s_trained.Value;
        var spec = NetworkSpec.Autoencoder([32, 16, 8], Activation.Tanh);
        var w1 = new float[16 * 32];
        var w2 = new float[8 * 16];
        // Layer 1 copies site 2o with sign (−1)^o, in a scrambled unit order; layer 2 copies unit 2o of layer 1.
        int[] place = Enumerable.Range(0, 16).Select(o => (o * 5) % 16).ToArray();
        for (int o = 0; o < 16; o++) w1[place[o] * 32 + 2 * o] = o % 2 == 0 ? 3f : -3f;
        for (int o = 0; o < 8; o++) w2[o * 16 + place[2 * o]] = o % 2 == 0 ? 3f : -3f;
        var weights = new List<float[]> { w1, w2 };
        var biases = new List<float[]> { new float[16], new float[8] };
        for (int l = 3; l <= spec.Depth; l++) { weights.Add(new float[spec.Widths[l] * spec.Widths[l - 1]]); biases.Add(new float[spec.Widths[l]]); }
        var net = Network.FromWeights(spec, weights, biases);
        var observation = net.Observe(probe);
        var g1 = Gauge.Fix(net, 1, probe, observation.PreActivations(1), periodic: true);
        Assert.Equal(place, g1.Order);
        Assert.Equal(Enumerable.Range(0, 16).Select(o => 2.0 * o), place.Select(u => Math.Round(g1.Centroids[u], 9)));
        var fixedY = g1.Apply(observation.PreActivations(1));
        for (int r = 0; r < 50; r++)
            for (int o = 0; o < 16; o++) Assert.Equal(probe[r, 2 * o] > 0, fixedY[r, o] > 0);
    }

    private static void AssertSame(IReadOnlyList<LayerMeasurement> a, IReadOnlyList<LayerMeasurement> b, string what, string? skip = null)
    {
        const double tol = 1e-3;
        Assert.Equal(a.Count, b.Count);
        for (int l = 0; l < a.Count; l++)
            foreach (var ma in a[l].Readings.Where(m => m.Reading != skip))
            {
                var mb = b[l][ma.Reading];
                string where = $"{what}: layer {l + 1}, {ma.Reading}";
                Assert.True(Math.Abs(ma.Coupling.Estimate - mb.Coupling.Estimate) < tol, $"{where}: coupling {ma.Coupling.Estimate} vs {mb.Coupling.Estimate}");
                Assert.True(Math.Abs(ma.Coupling.StandardError - mb.Coupling.StandardError) < tol || double.IsNaN(ma.Coupling.StandardError), $"{where}: se");
                if (ma.Field is not null) Assert.True(Math.Abs(ma.Field.Estimate - mb.Field!.Estimate) < tol, $"{where}: field {ma.Field.Estimate} vs {mb.Field.Estimate}");
                if (ma.HomogeneityStatistic is double lr) Assert.True(Math.Abs(lr - mb.HomogeneityStatistic!.Value) < tol * Math.Max(1, lr), $"{where}: LR");
                Assert.Equal(ma.UnitMeans.Count, mb.UnitMeans.Count);
                for (int j = 0; j < ma.UnitMeans.Count; j++) Assert.True(Math.Abs(ma.UnitMeans[j] - mb.UnitMeans[j]) < tol, $"{where}: unit {j} mean");
                Assert.True(Math.Abs(ma.MultiInformation - mb.MultiInformation) < tol, $"{where}: multi-information");
                if (ma.MaxAbsCoupling is double j0) Assert.True(Math.Abs(j0 - mb.MaxAbsCoupling!.Value) < tol, $"{where}: max |J|");
            }
    }

    private static (List<float[]> W, List<float[]> B) Parameters(Network n) =>
        (Enumerable.Range(1, n.Depth).Select(n.GetWeights).ToList(), Enumerable.Range(1, n.Depth).Select(n.GetBiases).ToList());

    internal static Network Flip(Network n, int layer, int unit)
    {
        var (w, b) = Parameters(n);
        int ins = n.Spec.Widths[layer - 1], outs = n.Spec.Widths[layer];
        for (int i = 0; i < ins; i++) w[layer - 1][unit * ins + i] = -w[layer - 1][unit * ins + i];
        if (b[layer - 1].Length > 0) b[layer - 1][unit] = -b[layer - 1][unit];
        int next = n.Spec.Widths[layer + 1];
        for (int o = 0; o < next; o++) w[layer][o * outs + unit] = -w[layer][o * outs + unit];
        return Network.FromWeights(n.Spec, w, b);
    }

    internal static Network Permute(Network n, int layer, int[] order)
    {
        var (w, b) = Parameters(n);
        int ins = n.Spec.Widths[layer - 1], outs = n.Spec.Widths[layer], next = n.Spec.Widths[layer + 1];
        var w1 = new float[w[layer - 1].Length];
        var b1 = b[layer - 1].Length > 0 ? new float[outs] : b[layer - 1];
        var w2 = new float[w[layer].Length];
        for (int k = 0; k < outs; k++)
        {
            Array.Copy(w[layer - 1], order[k] * ins, w1, k * ins, ins);
            if (b1.Length > 0) b1[k] = b[layer - 1][order[k]];
            for (int o = 0; o < next; o++) w2[o * outs + k] = w[layer][o * outs + order[k]];
        }
        w[layer - 1] = w1;
        b[layer - 1] = b1;
        w[layer] = w2;
        return Network.FromWeights(n.Spec, w, b);
    }
}
