using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RgLens.Networks;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Networks;

public class OnnxExportTests
{
    [Fact]
    public void OnnxRuntimeCreatesASessionHere()
    {
        // The smallest check that the native library ships and loads on this platform.
        var net = NnTestData.RandomNetwork(NetworkSpec.Supervised([3, 2], 1), seed: 1);
        using var session = new InferenceSession(OnnxExport.ToBytes(net));
        Assert.Equal("input", session.InputMetadata.Keys.Single());
        Assert.Equal("output", session.OutputMetadata.Keys.Single());
        Assert.Equal([-1, 3], session.InputMetadata["input"].Dimensions);
    }

    public static TheoryData<string> Specs() => ["autoencoder-tanh", "autoencoder-sigmoid-out", "supervised-relu-nobias", "linear-hidden"];

    private static NetworkSpec Spec(string name) => name switch
    {
        "autoencoder-tanh" => NetworkSpec.Autoencoder([24, 12, 6]),
        "autoencoder-sigmoid-out" => NetworkSpec.Autoencoder([16, 8], Activation.Tanh, Activation.Sigmoid),
        "supervised-relu-nobias" => NetworkSpec.Supervised([20, 10, 5], 2, Activation.Relu, bias: false),
        "linear-hidden" => new NetworkSpec(6, [new LayerSpec(4, Activation.Identity), new LayerSpec(3, Activation.Tanh), new LayerSpec(2, Activation.Identity)], 2, Objective.Supervised),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void OnnxRuntimeOnTheExportMatchesTheEngine(string name)
    {
        // Worst case ≤ 1e-2; a wrong weight, bias or activation is off by > 0.05.
        NetworkTestSupport.AssertRandomExportMatchesEngine(Spec(name), seed: 11, samples: 300, maxTolerance: 1e-2, name);
    }

    [Fact]
    public void DefaultOnnxLayersAreTheHiddenActivationsAndMatchTheNpzSource()
    {
        var net = NnTestData.RandomNetwork(NetworkSpec.Autoencoder([16, 8, 4], Activation.Tanh, Activation.Sigmoid), seed: 3);
        using var dir = new TempDirectory();
        string onnx = dir.File("model.onnx"), npz = dir.File("network.npz");
        OnnxExport.Save(net, onnx);
        net.Save(npz);
        var x = NnTestData.Spins(64, 16, seed: 9);
        using var fromOnnx = NetworkSources.Open(onnx);
        using var fromNpz = NetworkSources.Open(npz);
        Assert.IsType<NpzNetworkSource>(fromNpz);
        // The sigmoid output is the graph's output, not a layer; Gemm outputs are not activations.
        Assert.Equal(["layer1.act", "layer2.act", "layer3.act"], fromOnnx.Layers);
        Assert.Equal(["layer1.pre", "layer1.act", "layer2.pre", "layer2.act", "layer3.pre", "layer3.act"], fromNpz.Layers);
        var a = fromOnnx.Run(x);
        var b = fromNpz.Run(x);
        Assert.All(a.Layers, l => Assert.Equal("Tanh", l.Operation));
        double tol = NetworkTestSupport.Float32Bound(net, 1);
        foreach (var layer in a.Layers) NetworkTestSupport.AssertClose(b[layer.Name].Values, layer.Values, tol, layer.Name);
        NetworkTestSupport.AssertClose(b.Output.Values, a.Output.Values, tol, "output");
    }

    [Fact]
    public void ExportIsDeterministic()
    {
        var spec = NetworkSpec.Autoencoder([10, 5, 3]);
        byte[] first = OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 4));
        byte[] second = OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 4));
        Assert.Equal(first, second);
        Assert.NotEqual(first, OnnxExport.ToBytes(NnTestData.RandomNetwork(spec, seed: 5)));
    }

    [Fact]
    public void LayersCanBeNamedByNodeAndComeBackInTopologicalOrder()
    {
        var net = NnTestData.RandomNetwork(NetworkSpec.Autoencoder([8, 6, 4]), seed: 2);
        using var dir = new TempDirectory();
        string path = dir.File("m.onnx");
        OnnxExport.Save(net, path);
        using var source = NetworkSources.Open(path, ["layer3.act", "layer1.gemm"]);
        Assert.Equal(["layer1.pre", "layer3.act"], source.Layers);
        var run = source.Run(NnTestData.Uniform(5, 8, seed: 1));
        Assert.Equal("Gemm", run.Layers[0].Operation);
    }
}
