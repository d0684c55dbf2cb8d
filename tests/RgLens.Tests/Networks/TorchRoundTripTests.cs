using System.Text.Json.Nodes;
using RgLens.IO;
using RgLens.Networks;
using RgLens.Nn;
using RgLens.Tests.Cli;

namespace RgLens.Tests.Networks;

/// <summary>
/// A tanh MLP built and exported to ONNX by PyTorch (scripts/torch_mlp_onnx.py, run by the
/// system's Python; CI installs python3-torch), read back by RgLens: the ONNX layers and
/// <c>rglens eval</c>'s outputs match PyTorch's to 1e-5, and so does the same weights loaded into
/// an RgLens <see cref="Network"/>.
/// </summary>
public class TorchRoundTripTests
{
    private const double Agreement = 1e-5;

    [Fact]
    public void OnnxFromPyTorchMatchesPyTorch()
    {
        using var dir = new TempDirectory();
        NetworkTestSupport.RunPythonScript("torch_mlp_onnx.py", dir.Path);

        var x = Npy.ReadMatrix<float>(dir.File("input.npy"));
        var y = Npy.ReadMatrix<float>(dir.File("output.npy"));
        string model = dir.File("model.onnx");

        using (var source = NetworkSources.Open(model))
        {
            Assert.Equal(2, source.Layers.Count);
            Assert.Equal(12, source.InputWidth);
            var run = source.Run(x);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal("Tanh", run.Layers[i].Operation);
                NetworkTestSupport.AssertClose(Npy.ReadMatrix<float>(dir.File($"act{i + 1}.npy")), run.Layers[i].Values, Agreement, $"tanh layer {i + 1}");
            }
            NetworkTestSupport.AssertClose(y, run.Output.Values, Agreement, "output");
        }

        string outputs = dir.File("rglens-out.npy");
        var r = CliRunner.Run("eval", "--network", model, "--data", dir.File("input.npy"), "--out", outputs, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        NetworkTestSupport.AssertClose(y, Npy.ReadMatrix<float>(outputs), Agreement, "eval --out");
        double mse = y.Data.Select((v, i) => ((double)v - x.Data[i]) * ((double)v - x.Data[i])).Average();
        Tolerances.Close(mse, JsonNode.Parse(r.Output)!["loss"]!["value"]!.GetValue<double>(), Agreement, "eval mse");

        // The same weights in RgLens's own engine.
        var weights = Enumerable.Range(1, 3).Select(l => Npy.ReadMatrix<float>(dir.File($"W{l}.npy")).Data).ToList();
        var biases = Enumerable.Range(1, 3).Select(l => Npy.ReadMatrix<float>(dir.File($"b{l}.npy")).Data).ToList();
        var spec = new NetworkSpec(12, [new LayerSpec(8, Activation.Tanh), new LayerSpec(4, Activation.Tanh), new LayerSpec(12, Activation.Identity)], 2, Objective.Autoencoder);
        var net = Network.FromWeights(spec, weights, biases);
        NetworkTestSupport.AssertClose(y, net.Forward(x), Agreement, "RgLens engine on PyTorch's weights");
    }
}
