using RgLens.Networks;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Networks;

/// <summary>
/// Convolutional networks exported to ONNX and run by ONNX Runtime (the independent answer: RgLens
/// implements none of its operators) agree with the engine's own forward pass, layer by layer, in
/// RgLens's site-major layout. Tolerance: <see cref="NetworkTestSupport.Float32Bound"/>, the
/// worst-case float32 rounding of sums of fan-in + 1 terms (k · C_in for a convolution, n_{l−1} for
/// a dense layer) propagated through the layers' absolute row sums; a wrong tap, channel order,
/// padding or upsampling is off by ~0.1 or more.
/// </summary>
public class ConvOnnxExportTests
{
    public static TheoryData<string> Cases() =>
    [
        "periodic-k3-autoencoder", "open-k3-autoencoder", "periodic-k1-autoencoder", "open-k1-autoencoder",
        "periodic-k5-supervised-nobias", "open-k3-supervised-dense-then-conv",
    ];

    internal static NetworkSpec Spec(string name)
    {
        Padding pad = name.StartsWith("periodic", StringComparison.Ordinal) ? Padding.Circular : Padding.Zero;
        return name switch
        {
            "periodic-k3-autoencoder" or "open-k3-autoencoder" or "periodic-k1-autoencoder" or "open-k1-autoencoder" => Autoencoder(name.Contains("-k1-") ? 1 : 3, pad,
                pad == Padding.Circular ? Activation.Tanh : Activation.Relu),
            // Eight channels (the site-major product), kernel 5, no biases, a dense linear head.
            "periodic-k5-supervised-nobias" => new NetworkSpec(16,
            [
                LayerSpec.Conv1d(1, 8, 16, 5, 2, pad, Activation.Tanh, bias: false),
                LayerSpec.Conv1d(8, 2, 8, 5, 2, pad, Activation.Sigmoid, bias: false),
                new LayerSpec(3, Activation.Identity, Bias: false),
            ], 2, Objective.Supervised),
            // A dense layer read as 3 channels x 4 sites, upsampled by 3, then a dense head.
            "open-k3-supervised-dense-then-conv" => new NetworkSpec(16,
            [
                new LayerSpec(12, Activation.Tanh),
                LayerSpec.Conv1d(3, 2, 4, 3, 1, pad, Activation.Tanh, upsample: 3),
                new LayerSpec(2, Activation.Identity),
            ], 2, Objective.Supervised),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>16 sites, 1-4-3 channels down (stride 2), 3-4-1 back up (nearest upsampling by 2).</summary>
    internal static NetworkSpec Autoencoder(int kernel, Padding padding, Activation hidden) => new(16,
    [
        LayerSpec.Conv1d(1, 4, 16, kernel, 2, padding, hidden),
        LayerSpec.Conv1d(4, 3, 8, kernel, 2, padding, hidden),
        LayerSpec.Conv1d(3, 4, 4, kernel, 1, padding, hidden, upsample: 2),
        LayerSpec.Conv1d(4, 1, 8, kernel, 1, padding, Activation.Identity, upsample: 2),
    ], 2, Objective.Autoencoder);

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnnxRuntimeOnTheExportMatchesTheEngineLayerByLayer(string name)
    {
        // Worst case ≤ 1e-3; a wrong tap, channel order, padding or upsampling is off by ~0.1 or more.
        var (net, run) = NetworkTestSupport.AssertRandomExportMatchesEngine(Spec(name), seed: 17, samples: 200, maxTolerance: 1e-3, name);
        for (int l = 1; l < net.Depth; l++)
        {
            // The metadata tells a reader the units are channels x sites, site-major.
            var expected = ChannelLayout.Of(net.Spec.Layers[l - 1]);
            Assert.Equal(expected, run[NpzNetworkSource.PreName(l)].Channels);
            Assert.Equal(expected, run[NpzNetworkSource.ActName(l)].Channels);
            if (expected is not null) Assert.Equal(ChannelOrder.SiteMajor, expected.Order);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheGraphUsesStandardOperatorsForWhatEachLayerNeeds(string name)
    {
        var spec = Spec(name);
        var graph = OnnxGraph.Read(OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 1)), name);
        string[] standard = ["Gemm", "Reshape", "Transpose", "Resize", "Slice", "Concat", "Conv", "Tanh", "Sigmoid", "Relu", "Identity"];
        Assert.All(graph.Nodes, n => Assert.Contains(n.OpType, standard));
        for (int l = 1; l <= spec.Depth; l++)
        {
            var layer = spec.Layers[l - 1];
            var ops = graph.Nodes.Where(n => n.Name.StartsWith($"layer{l}.", StringComparison.Ordinal)).Select(n => n.OpType).ToList();
            bool conv = layer.Kind == LayerKind.Conv1d;
            Assert.Equal(conv ? 1 : 0, ops.Count(o => o == "Conv"));
            Assert.Equal(conv ? 0 : 1, ops.Count(o => o == "Gemm"));
            Assert.Equal(conv && layer.Upsample > 1 ? 1 : 0, ops.Count(o => o == "Resize"));
            // Circular padding is built from the chain's two ends; zero padding is the Conv's own.
            Assert.Equal(conv && layer.Padding == Padding.Circular && layer.Kernel > 1 ? 2 : 0, ops.Count(o => o == "Slice"));
        }
        Assert.Contains("input", graph.Inputs);
        Assert.Equal(["output"], graph.Outputs);
    }

    [Fact]
    public void ExportOfAConvNetworkIsDeterministic()
    {
        var spec = Spec("periodic-k3-autoencoder");
        byte[] first = OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 4));
        Assert.Equal(first, OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 4)));
        Assert.NotEqual(first, OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 5)));
        Assert.NotEqual(first, OnnxExport.ToBytes(NnTestData.RandomNetwork(Spec("open-k3-autoencoder"), seed: 4)));
    }

    [Fact]
    public void ChannelLayoutMetadataRoundTripsAndRejectsOtherText()
    {
        var layout = new ChannelLayout(4, 32, ChannelOrder.SiteMajor);
        Assert.Equal("4x32 site-major", layout.ToMetadata());
        Assert.Equal(layout, ChannelLayout.FromMetadata(layout.ToMetadata()));
        Assert.Equal(new ChannelLayout(2, 5, ChannelOrder.ChannelMajor), ChannelLayout.FromMetadata("2x5 channel-major"));
        foreach (string bad in new[] { "", "4x32", "4x32 sideways", "0x3 site-major", "-1x3 site-major", "4x32x2 site-major", "ax3 site-major" })
            Assert.Null(ChannelLayout.FromMetadata(bad));
        Assert.Equal(9, layout.Column(1, 2));
        Assert.Equal(65, new ChannelLayout(4, 32, ChannelOrder.ChannelMajor).Column(2, 1));
        Assert.Equal(new ChannelLayout(3, 7, ChannelOrder.ChannelMajor), ChannelLayout.OfShape([10, 3, 7]));
        Assert.Null(ChannelLayout.OfShape([10, 3, 1]));
        Assert.Null(ChannelLayout.OfShape([10, 21]));
        Assert.Null(ChannelLayout.OfShape([10, 3, 7, 2]));
    }
}
