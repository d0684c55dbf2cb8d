using RgLens.Experiments;
using RgLens.IO;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Sampling;

namespace RgLens.Tests.Networks;

/// <summary>
/// The order gauge of ONNX layers reached through dense layers uses the stored weights
/// (<see cref="OnnxDenseWeights"/>), so the same network gets the same gauge from its NPZ file and
/// from ONNX, whether the dense layers are <c>Gemm</c> nodes (RgLens's export, PyTorch's Linear)
/// or <c>MatMul</c> + <c>Add</c>; elsewhere the field stays empirical.
/// </summary>
public class OnnxDenseWeightsTests
{
    private static (Network Net, RgLens.Data.SampleMatrix<float> X) Fixture()
    {
        var x = IsingSampler.Sample(new ChainModel(new IsingParameters(0.8, 0.2), 16), 1200, seed: 3).Convert<float>();
        var net = Trainer.Train(NetworkSpec.Autoencoder([16, 8, 4], Activation.Tanh), x, null, new TrainerOptions { Epochs = 3, Seed = 6 }).Network;
        return (net, x);
    }

    private static void AssertSameGauges(IReadOnlyList<ProbedLayer> a, IReadOnlyList<ProbedLayer> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (int l = 0; l < a.Count; l++)
        {
            Assert.Equal(a[l].Measurement.Gauge.Order, b[l].Measurement.Gauge.Order);
            Assert.Equal(a[l].Measurement.Gauge.Signs, b[l].Measurement.Gauge.Signs);
            Assert.Equal(a[l].Measurement.Gauge.Centroids, b[l].Measurement.Gauge.Centroids); // the same weights, the same bits
        }
    }

    [Fact]
    public void AnExportedNetworkGetsItsNpzGaugeFromTheStoredWeights()
    {
        using var dir = new TempDirectory();
        var (net, x) = Fixture();
        net.Save(dir.File("net.npz"));
        OnnxExport.Save(net, dir.File("net.onnx"));
        var chains = OnnxNetworkSource.DenseChains(dir.File("net.onnx"), ["layer1.pre", "layer2.act", "layer3.pre", "output"], 16);
        for (int l = 1; l <= 3; l++)
        {
            var chain = chains[l == 2 ? "layer2.act" : $"layer{l}.pre"]!;
            Assert.Equal(l, chain.Count);
            for (int k = 1; k <= l; k++) Assert.Equal(net.GetWeights(k), chain[k - 1].Values);
        }
        Assert.Equal(4, chains["output"]!.Count); // the linear output layer is a Gemm on layer 3's activation
        IReading[] readings = [new SignReading()];
        AssertSameGauges(NetworkProbeRun.Run(dir.File("net.npz"), x, null, readings, Boundary.Periodic, 0, 1, 1),
            NetworkProbeRun.Run(dir.File("net.onnx"), x, null, readings, Boundary.Periodic, 0, 1, 1));
    }

    [Fact]
    public void MatMulAndAddLayersAreReadAsGemmLayers()
    {
        using var dir = new TempDirectory();
        var (net, x) = Fixture();
        File.WriteAllBytes(dir.File("matmul.onnx"), MatMulModel(net));
        net.Save(dir.File("net.npz"));
        var chains = OnnxNetworkSource.DenseChains(dir.File("matmul.onnx"), ["h1", "h2"], 16);
        Assert.Equal(net.GetWeights(1), chains["h1"]![0].Values);
        Assert.Equal(net.GetWeights(2), chains["h2"]![1].Values);
        IReading[] readings = [new SignReading()];
        var npz = NetworkProbeRun.Run(dir.File("net.npz"), x, null, readings, Boundary.Periodic, 0, 1, 1);
        // Both tensors named (h2, the graph's output, is not a layer by default): each read as both pre-activation and activation.
        var onnx = NetworkProbeRun.Run(dir.File("matmul.onnx"), x, ["h1", "h2"], readings, Boundary.Periodic, 0, 1, 1);
        AssertSameGauges(npz.Take(2).ToArray(), onnx);
    }

    [Fact]
    public void APathThroughAnythingButDenseLayersHasNoChain()
    {
        using var dir = new TempDirectory();
        var (net, _) = Fixture();
        // The second weights computed by the graph instead of stored: nothing to read, so its field is empirical.
        File.WriteAllBytes(dir.File("fed.onnx"), MatMulModel(net, storeSecondWeights: false));
        var chains = OnnxNetworkSource.DenseChains(dir.File("fed.onnx"), ["h1", "h2"], 16);
        Assert.NotNull(chains["h1"]);
        Assert.Null(chains["h2"]);
        // A data width that does not match W_1: no chain either.
        Assert.Null(OnnxNetworkSource.DenseChains(dir.File("fed.onnx"), ["h1"], 15)["h1"]);
        // A convolution below: no chain.
        var conv = RgLens.Tests.Nn.NnTestData.RandomNetwork(ConvOnnxExportTests.Spec("periodic-k3-autoencoder"), seed: 5);
        OnnxExport.Save(conv, dir.File("conv.onnx"));
        Assert.All(OnnxNetworkSource.DenseChains(dir.File("conv.onnx"), ["layer1.act", "layer2.act"], 16).Values, Assert.Null);
    }

    /// <summary>
    /// The first two layers of <paramref name="net"/> as MatMul (W stored inputs × outputs) + Add (bias
    /// first, to check either order) + Tanh, written by hand: input [batch, 16] → h1 [8] → h2 [4].
    /// </summary>
    private static byte[] MatMulModel(Network net, bool storeSecondWeights = true)
    {
        var graph = new OnnxGraphWriter();
        string below = "input";
        for (int l = 1; l <= 2; l++)
        {
            int outs = net.Spec.Widths[l], ins = net.Spec.Widths[l - 1];
            var w = net.GetWeights(l);
            var t = new float[w.Length];
            for (int o = 0; o < outs; o++)
                for (int i = 0; i < ins; i++) t[i * outs + o] = w[o * ins + i];
            string wName = $"Wt{l}";
            if (l == 1 || storeSecondWeights) graph.Floats(wName, t, ins, outs);
            else graph.Node("Identity", $"copy{l}", [graph.Floats(wName + ".stored", t, ins, outs)], wName); // computed by the graph
            string b = graph.Floats($"b{l}", net.GetBiases(l), outs);
            graph.Node("MatMul", $"mm{l}", [below, wName], $"mm{l}.out");
            graph.Node("Add", $"add{l}", [b, $"mm{l}.out"], $"pre{l}");
            below = graph.Node("Tanh", $"tanh{l}", [$"pre{l}"], $"h{l}");
        }
        static void Value(ProtoWire.Writer v, string name, params object[] dims) =>
            v.String(1, name).Message(2, type => type.Message(1, tensor => tensor.Int(1, 1).Message(2, shape =>
            {
                foreach (object d in dims)
                    if (d is string p) shape.Message(1, dim => dim.String(2, p)); else shape.Message(1, dim => dim.Int(1, (int)d));
            })));
        // ModelProto: ir_version = 1, graph = 7, opset_import = 8 (version = 2); GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
        return new ProtoWire.Writer().Int(1, OnnxExport.IrVersion).Message(7, g =>
        {
            graph.WriteNodes(g);
            g.String(2, "matmul-mlp");
            graph.WriteInitializers(g);
            g.Message(11, v => Value(v, "input", "batch", 16));
            g.Message(12, v => Value(v, "h2", "batch", 4));
        }).Message(8, o => o.Int(2, OnnxExport.Opset)).ToArray();
    }
}
