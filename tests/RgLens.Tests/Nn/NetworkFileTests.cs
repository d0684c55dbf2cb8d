using System.Diagnostics;
using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Tests.Nn;

public sealed class NetworkFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string _dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        var spec = new NetworkSpec(6, [new LayerSpec(5, Activation.Relu), new LayerSpec(4, Activation.Sigmoid, Bias: false), new LayerSpec(2, Activation.Identity)], 2, Objective.Supervised, InitScheme.He);
        var network = NnTestData.RandomNetwork(spec, 9);
        string path = Path.Combine(_dir, "net.npz");
        network.Save(path);
        var loaded = Network.Load(path);
        Assert.Equal(spec, loaded.Spec);
        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
        var x = NnTestData.Uniform(33, 6, 10);
        Assert.Equal(network.Forward(x).Data, loaded.Forward(x).Data);
    }

    [Fact]
    public void NumpyReadsTheFileAsDocumented()
    {
        // The snippet of docs/network-format.md, run by the system's Python (CI installs python3-numpy).
        var spec = NetworkSpec.Autoencoder([7, 4, 3], Activation.Tanh);
        var network = NnTestData.RandomNetwork(spec, 11);
        string net = Path.Combine(_dir, "net.npz"), input = Path.Combine(_dir, "x.npy"), output = Path.Combine(_dir, "y.npy");
        network.Save(net);
        var x = NnTestData.Uniform(10, 7, 12);
        Npy.WriteMatrix(input, x);
        string script = $$"""
            import json, numpy as np
            z = np.load("{{net}}")
            h = json.loads(z["header.json"])
            act = {"identity": lambda v: v, "tanh": np.tanh, "relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v))}
            x = np.load("{{input}}").astype(np.float64)
            for l, name in enumerate(h["activations"], start=1):
                x = x @ z[f"W{l}"].T + (z[f"b{l}"] if h["bias"][l - 1] else 0)
                x = act[name](x)
            np.save("{{output}}", x)
            """;
        var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardError = true })!;
        string errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, errors);
        var y = Npy.ReadMatrix<double>(output);
        var ours = network.Forward(x);
        // float32 network against numpy's float64 evaluation of the same weights.
        for (int i = 0; i < y.Data.Length; i++) Assert.Equal(y.Data[i], ours.Data[i], 1e-5);
    }

    [Fact]
    public void CorruptTruncatedAndMissingFilesGiveOneClearLine()
    {
        string path = Path.Combine(_dir, "net.npz");
        Network.Create(NetworkSpec.Autoencoder([16, 8]), 1).Save(path);
        byte[] bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        AssertRefused(path, "not a readable network file");

        var noise = new byte[bytes.Length];
        new Random(1).NextBytes(noise);
        File.WriteAllBytes(path, noise);
        AssertRefused(path, "not a readable network file");

        var flipped = (byte[])bytes.Clone();
        for (int i = 200; i < 260; i++) flipped[i] ^= 0xFF; // inside the first weight array: CRC mismatch
        File.WriteAllBytes(path, flipped);
        AssertRefused(path, path);

        AssertRefused(Path.Combine(_dir, "missing.npz"), "does not exist");
    }

    [Fact]
    public void InconsistentContentIsRefused()
    {
        var spec = NetworkSpec.Autoencoder([4, 2]);
        string path = Path.Combine(_dir, "bad.npz");
        string header = JsonOutput.Serialize(NetworkFile.Header(spec));

        NpzArchive.Write(path, header, [new("W1", new float[8], [2, 4]), new("b1", new float[2], [2]), new("W2", new float[8], [2, 4]), new("b2", new float[4], [4])]);
        AssertRefused(path, "shape (2, 4)");

        NpzArchive.Write(path, header, [new("W1", [.. new float[7], float.NaN], [2, 4]), new("b1", new float[2], [2]), new("W2", new float[8], [4, 2]), new("b2", new float[4], [4])]);
        AssertRefused(path, "NaN");

        NpzArchive.Write(path, header.Replace("\"tanh\"", "\"swish\""), []);
        AssertRefused(path, "unknown activation 'swish'");

        NpzArchive.Write(path, header.Replace(NetworkFile.FormatName, "something-else"), []);
        AssertRefused(path, "expected 'rglens-network'");

        NpzArchive.Write(path, "{ not json", []);
        AssertRefused(path, "not valid JSON");

        NpzArchive.Write(path, header, [new("W1", new float[8], [2, 4])]);
        AssertRefused(path, "lacks the array 'b1'");
    }

    private static void AssertRefused(string path, string fragment)
    {
        var e = Assert.Throws<DataFormatException>(() => Network.Load(path));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
