using System.Text.Json.Nodes;
using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Networks;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

public class NetworkCommandTests
{
    private static void AssertUsageError(CliRunner.Result r, string fragment)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        Assert.Contains(fragment, line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ExportWritesIdenticalBytesAndEvalAgreesOnBothFormats()
    {
        using var dir = new TempDirectory();
        var net = NnTestData.RandomNetwork(NetworkSpec.Autoencoder([12, 6, 3]), seed: 8);
        string npz = dir.File("network.npz"), a = dir.File("a.onnx"), b = dir.File("b.onnx"), data = dir.File("x.npy");
        net.Save(npz);
        var x = NnTestData.Spins(40, 12, seed: 2);
        Npy.WriteMatrix(data, x);

        var answers = ExportAndEvalBoth(net, npz, a, b, data, null, x, dir);
        Assert.All(answers, json => Assert.Equal(40, json["samples"]!.GetValue<int>()));
        Assert.All(answers, json => Assert.Equal("input", json["loss"]!["against"]!.GetValue<string>()));

        var text = CliRunner.Run("eval", "--network", a, "--data", data);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("mse against the input", text.Output);
    }

    [Fact]
    public void EvalScoresASupervisedNetworkAgainstTargets()
    {
        using var dir = new TempDirectory();
        var net = NnTestData.RandomNetwork(NetworkSpec.Supervised([6, 4], 2), seed: 3);
        string npz = dir.File("n.npz"), data = dir.File("x.csv"), targets = dir.File("t.npy");
        net.Save(npz);
        var x = NnTestData.Uniform(10, 6, seed: 1);
        CsvMatrix.Write(data, x);
        var t = NnTestData.Uniform(10, 2, seed: 4);
        Npy.WriteMatrix(targets, t);
        var y = net.Forward(SampleFiles.Load<float>(data));
        double mse = y.Data.Select((v, i) => ((double)v - t.Data[i]) * ((double)v - t.Data[i])).Average();
        var r = CliRunner.Run("eval", "--network", npz, "--data", data, "--targets", targets, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Tolerances.Close(mse, JsonNode.Parse(r.Output)!["loss"]!["value"]!.GetValue<double>(), 1e-6, "mse");
        AssertUsageError(CliRunner.Run("eval", "--network", npz, "--data", data), "give --targets");

        // One output per sample: labels saved with PyTorch's usual shape (n,) are that column.
        var one = NnTestData.RandomNetwork(NetworkSpec.Supervised([6, 4], 1), seed: 5);
        one.Save(dir.File("one.npz"));
        var labels = NnTestData.Uniform(10, 1, seed: 6);
        using (var f = File.Create(dir.File("labels.npy"))) Npy.Write<float>(f, labels.Data, [10]);
        Npy.WriteMatrix(dir.File("column.npy"), labels);
        var flat = CliRunner.Run("eval", "--network", dir.File("one.npz"), "--data", data, "--targets", dir.File("labels.npy"), "--json");
        var column = CliRunner.Run("eval", "--network", dir.File("one.npz"), "--data", data, "--targets", dir.File("column.npy"), "--json");
        Assert.True(flat.ExitCode == 0 && column.ExitCode == 0, flat.Error + column.Error);
        Assert.Equal(JsonNode.Parse(column.Output)!["loss"]!.ToJsonString(), JsonNode.Parse(flat.Output)!["loss"]!.ToJsonString());
    }

    [Fact]
    public void BadInputGivesOneLineAndExitTwo()
    {
        using var dir = new TempDirectory();
        var net = NnTestData.RandomNetwork(NetworkSpec.Autoencoder([8, 4]), seed: 5);
        string npz = dir.File("n.npz"), onnx = dir.File("m.onnx"), data = dir.File("x.npy"), wide = dir.File("w.npy"), nan = dir.File("nan.npy");
        net.Save(npz);
        Assert.Equal(0, CliRunner.Run("export", "--network", npz, "--to", onnx).ExitCode);
        Npy.WriteMatrix(data, NnTestData.Uniform(5, 8, seed: 1));
        Npy.WriteMatrix(wide, NnTestData.Uniform(5, 9, seed: 1));
        var bad = NnTestData.Uniform(5, 8, seed: 1);
        bad[2, 3] = float.NaN;
        Npy.WriteMatrix(nan, bad);
        string truncated = dir.File("cut.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(onnx)[..100]);
        string shortTargets = dir.File("t.npy");
        Npy.WriteMatrix(shortTargets, NnTestData.Uniform(4, 8, seed: 1));

        AssertUsageError(CliRunner.Run("export", "--network", npz, "--to", dir.File("m.txt")), ".onnx extension");
        AssertUsageError(CliRunner.Run("export", "--network", dir.File("absent.npz"), "--to", onnx), "absent.npz");
        AssertUsageError(CliRunner.Run("export", "--network", onnx, "--to", dir.File("again.onnx")), "is ONNX already; export takes an RgLens network (.npz");
        // An unwritable place is named as such (it once read "Could not find file a temporary file").
        AssertUsageError(CliRunner.Run("export", "--network", npz, "--to", "/proc/x.onnx"), "'/proc' is not writable");
        AssertUsageError(CliRunner.Run("eval", "--network", npz, "--data", data, "--out", "/proc/x.npy"), "'/proc' is not writable");
        AssertUsageError(CliRunner.Run("export", "--to", onnx), "--network");
        AssertUsageError(CliRunner.Run("eval", "--network", truncated, "--data", data), "is not an ONNX model");
        AssertUsageError(CliRunner.Run("eval", "--network", dir.File("absent.onnx"), "--data", data), "does not exist");
        foreach (string file in new[] { npz, onnx })
        {
            AssertUsageError(CliRunner.Run("eval", "--network", file, "--data", wide), "has 9 values per sample; the network");
            AssertUsageError(CliRunner.Run("eval", "--network", file, "--data", nan), "NaN at row 3, column 4");
            AssertUsageError(CliRunner.Run("eval", "--network", file, "--data", data, "--targets", shortTargets), "is 4 x 8");
            AssertUsageError(CliRunner.Run("eval", "--network", file, "--data", data, "--out", dir.File("o.txt")), ".npy and .csv");
        }
        AssertUsageError(CliRunner.Run("eval", "--network", onnx), "--data");
        var oneRow = NnTestData.Uniform(1, 8, seed: 1);
        Npy.WriteMatrix(dir.File("one.npy"), oneRow);
        AssertUsageError(CliRunner.Run("probe", "--network", onnx, "--data", dir.File("one.npy")), "1 sample(s) of 8 values (a 1-D array is one sample)");
        Assert.False(File.Exists(dir.File("o.txt")));
    }

    [Fact]
    public void TrainWritesOnnxBesideTheNetworkOnRequest()
    {
        using var dir = new TempDirectory();
        string data = dir.File("x.npy");
        Assert.Equal(0, CliRunner.Run("sample", "--model", "ising", "--N", "16", "--samples", "256", "--out", data).ExitCode);
        var r = CliRunner.Run("train", "--data", data, "--widths", "16,8", "--epochs", "1", "--onnx", "--out", dir.File("net"));
        Assert.True(r.ExitCode == 0, r.Error);
        var e = CliRunner.Run("eval", "--network", dir.File("net/network.onnx"), "--data", data, "--json");
        Assert.True(e.ExitCode == 0, e.Error);
        var npz = CliRunner.Run("eval", "--network", dir.File("net/network.npz"), "--data", data, "--json");
        using var a = System.Text.Json.JsonDocument.Parse(e.Output);
        using var b = System.Text.Json.JsonDocument.Parse(npz.Output);
        Assert.Equal(b.RootElement.GetProperty("loss").GetProperty("value").GetDouble(), a.RootElement.GetProperty("loss").GetProperty("value").GetDouble(), 5);
        // A convolutional network is written as ONNX too, and evaluates as its NPZ does.
        var conv = CliRunner.Run("train", "--data", data, "--architecture", "conv", "--widths", "16,8", "--epochs", "1", "--onnx", "--out", dir.File("conv"));
        Assert.True(conv.ExitCode == 0, conv.Error);
        var convOnnx = CliRunner.Run("eval", "--network", dir.File("conv/network.onnx"), "--data", data, "--json");
        var convNpz = CliRunner.Run("eval", "--network", dir.File("conv/network.npz"), "--data", data, "--json");
        Assert.True(convOnnx.ExitCode == 0 && convNpz.ExitCode == 0, convOnnx.Error + convNpz.Error);
        Tolerances.Close(JsonNode.Parse(convNpz.Output)!["loss"]!["value"]!.GetValue<double>(), JsonNode.Parse(convOnnx.Output)!["loss"]!["value"]!.GetValue<double>(),
            1e-5, "conv: eval mse, ONNX against NPZ");
    }

    [Theory]
    [InlineData("periodic-k3-autoencoder")]
    [InlineData("open-k3-supervised-dense-then-conv")]
    public void ExportOfAConvNetworkEvaluatesAsTheNpz(string name)
    {
        using var dir = new TempDirectory();
        var net = NnTestData.RandomNetwork(ConvOnnxExportTests.Spec(name), seed: 21);
        string npz = dir.File("network.npz"), a = dir.File("a.onnx"), b = dir.File("b.onnx"), data = dir.File("x.npy"), targets = dir.File("t.npy");
        net.Save(npz);
        var x = NnTestData.Spins(60, 16, seed: 3);
        Npy.WriteMatrix(data, x);
        var t = NnTestData.Uniform(60, net.Spec.OutputWidth, seed: 8);
        Npy.WriteMatrix(targets, t);

        var answers = ExportAndEvalBoth(net, npz, a, b, data, targets, t, dir);
        Assert.All(answers, json => Assert.Equal(net.Spec.OutputWidth, json["output_width"]!.GetValue<int>()));
    }

    /// <summary>
    /// `export`s <paramref name="npz"/> to <paramref name="a"/> and <paramref name="b"/> (the same bytes), then
    /// `eval`s the NPZ and the export against <paramref name="against"/> (targets, or the input): both give
    /// the engine's outputs within <see cref="NetworkTestSupport.Float32Bound"/> and its MSE within the bound
    /// that follows, |Δ mse| ≤ mean |2 (y − t) Δy + Δy²| ≤ 2 max|y − t| tol + tol². Returns the two JSON answers.
    /// </summary>
    private static JsonNode[] ExportAndEvalBoth(Network net, string npz, string a, string b, string data, string? targets, SampleMatrix<float> against, TempDirectory dir)
    {
        var r = CliRunner.Run("export", "--network", npz, "--to", a);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("ONNX opset 17", r.Output);
        Assert.Equal(0, CliRunner.Run("export", "--network", npz, "--to", b).ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));

        var expected = net.Forward(Npy.ReadMatrix<float>(data));
        double mse = expected.Data.Select((y, i) => ((double)y - against.Data[i]) * ((double)y - against.Data[i])).Average();
        double tol = NetworkTestSupport.Float32Bound(net, 1);
        double mseTol = 2 * expected.Data.Select((y, i) => Math.Abs((double)y - against.Data[i])).Max() * tol + tol * tol;
        var answers = new List<JsonNode>();
        foreach (string file in new[] { npz, a })
        {
            string outputs = dir.File(Path.GetFileNameWithoutExtension(file) + "-out.npy");
            string[] extra = targets is null ? [] : ["--targets", targets];
            var e = CliRunner.Run(["eval", "--network", file, "--data", data, .. extra, "--out", outputs, "--json", "--threads", "1"]);
            Assert.True(e.ExitCode == 0, e.Error);
            var json = JsonNode.Parse(e.Output)!;
            Assert.Equal(file == a ? "onnx" : "rglens", json["format"]!.GetValue<string>());
            Tolerances.Close(mse, json["loss"]!["value"]!.GetValue<double>(), mseTol, $"{file}: mse");
            NetworkTestSupport.AssertClose(expected, Npy.ReadMatrix<float>(outputs), tol, $"{file}: outputs");
            answers.Add(json);
        }
        Tolerances.Close(answers[0]["loss"]!["value"]!.GetValue<double>(), answers[1]["loss"]!["value"]!.GetValue<double>(), mseTol, "mse, ONNX against NPZ");
        return [.. answers];
    }
}
