using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli;
using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string _dir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private string Spins(int rows = 400, int cols = 16, string name = "s.npy")
    {
        string path = Path.Combine(_dir, name);
        var m = NnTestData.Spins(rows, cols, 1).Convert<sbyte>();
        Npy.WriteMatrix(path, m);
        return path;
    }

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void TrainWritesNetworkLossCurveCheckpointAndManifest()
    {
        string data = Spins(), out_ = Path.Combine(_dir, "runs", "x");
        var (code, stdout, stderr) = Run("train", "--data", data, "--widths", "16,8,4", "--epochs", "5", "--seed", "1", "--threads", "1",
            "--snapshot-steps", "0,3,13", "--out", out_);
        Assert.Equal(0, code);
        Assert.Contains("completed after 5 epochs", stdout);
        Assert.Equal(5, stderr.Split('\n').Count(l => l.StartsWith("epoch ")));
        var network = Network.Load(Path.Combine(out_, "network.npz"));
        Assert.Equal([16, 8, 4, 8, 16], network.Spec.Widths);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(out_, "loss.csv")).Length);
        Assert.True(new FileInfo(Path.Combine(out_, "loss.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(out_, "checkpoint.npz")));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(out_, "run.json")))!;
        Assert.Equal("completed", manifest["results"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(1UL, manifest["seed"]!.GetValue<ulong>());
        Assert.Equal(5, manifest["results"]!["epochs_run"]!.GetValue<int>());
        Assert.Equal(["snapshots/step-0.npz", "snapshots/step-3.npz", "snapshots/step-13.npz"],
            manifest["results"]!["files"]!["snapshots"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(Network.Create(network.Spec, 1).GetWeights(1), Network.Load(Path.Combine(out_, "snapshots", "step-0.npz")).GetWeights(1));
    }

    [Fact]
    public void SameSeedGivesTheSameNetworkAndResumeOfAFinishedRunChangesNothing()
    {
        string data = Spins();
        string[] common = ["train", "--data", data, "--widths", "16,8", "--epochs", "3", "--threads", "2", "--json"];
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        Assert.Equal(0, Run([.. common, "--out", a]).Code);
        var (code, stdout, _) = Run([.. common, "--out", b]);
        Assert.Equal(0, code);
        Assert.Equal("completed", JsonNode.Parse(stdout)!["stop_reason"]!.GetValue<string>());
        var first = Network.Load(Path.Combine(a, "network.npz")).GetWeights(1);
        Assert.Equal(first, Network.Load(Path.Combine(b, "network.npz")).GetWeights(1));
        Assert.Equal(0, Run([.. common, "--out", b, "--resume"]).Code);
        Assert.Equal(first, Network.Load(Path.Combine(b, "network.npz")).GetWeights(1));
        AssertUsageError("cannot resume", ["train", "--data", data, "--widths", "16,4", "--epochs", "3", "--threads", "2", "--out", b, "--resume"]);
        AssertUsageError("cannot resume", [.. common, "--out", b, "--resume", "--lr", "0.01"]);
    }

    [Fact]
    public void ConvArchitectureTrainsAPyramidOfStrideTwoConvolutions()
    {
        string data = Spins();
        var (code, _, stderr) = Run("train", "--data", data, "--widths", "16,8,4", "--architecture", "conv", "--channels", "3", "--kernel", "3",
            "--epochs", "2", "--threads", "2", "--out", Path.Combine(_dir, "conv"));
        Assert.True(code == 0, stderr);
        var spec = Network.Load(Path.Combine(_dir, "conv", "network.npz")).Spec;
        Assert.Equal([16, 24, 12, 24, 16], spec.Widths);
        Assert.All(spec.Layers, l => Assert.Equal(LayerKind.Conv1d, l.Kind));
        Assert.Equal([2, 2, 1, 1], spec.Layers.Select(l => l.Stride));
        Assert.Equal([1, 1, 2, 2], spec.Layers.Select(l => l.Upsample));
        Assert.Equal(Padding.Circular, spec.Layers[0].Padding);
        AssertUsageError("does not divide", ["train", "--data", data, "--widths", "16,6", "--architecture", "conv", "--out", Path.Combine(_dir, "bad")]);
        AssertUsageError("--kernel must be odd", ["train", "--data", data, "--widths", "16,8", "--architecture", "conv", "--kernel", "2", "--out", Path.Combine(_dir, "bad")]);
        AssertUsageError("longer than the chain", ["train", "--data", data, "--widths", "16,8,4", "--architecture", "conv", "--kernel", "9", "--out", Path.Combine(_dir, "bad")]);
    }

    [Fact]
    public void DataBeyondFloat32AreRefusedNotTurnedIntoInfinity()
    {
        // Training reads straight into float32; a finite double beyond its range would become ∞.
        string data = Path.Combine(_dir, "huge.npy");
        var m = NnTestData.Uniform(50, 4, 2).Convert<double>();
        m[7, 2] = 1e300;
        Npy.WriteMatrix(data, m);
        var (code, _, error) = Run("train", "--data", data, "--widths", "4,2", "--epochs", "1", "--out", Path.Combine(_dir, "out-huge"));
        Assert.Equal(2, code);
        Assert.Contains("float32", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_dir, "out-huge")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "out-huge")).Any(f => !Path.GetFileName(f).StartsWith('.')));
    }

    [Fact]
    public void SupervisedTrainsOnTargets()
    {
        string data = Spins();
        string targets = Path.Combine(_dir, "t.npy");
        Npy.WriteMatrix(targets, NnTestData.Uniform(400, 2, 3).Convert<double>());
        var (code, _, stderr) = Run("train", "--data", data, "--targets", targets, "--objective", "supervised", "--widths", "16,8", "--epochs", "2", "--out", Path.Combine(_dir, "sup"));
        Assert.True(code == 0, stderr);
        Assert.Equal([16, 8, 2], Network.Load(Path.Combine(_dir, "sup", "network.npz")).Spec.Widths);
    }

    [Fact]
    public void DivergenceStopsWithAClearMessageAndKeepsTheLastGoodFiles()
    {
        string data = Path.Combine(_dir, "g.npy");
        Npy.WriteMatrix(data, NnTestData.Uniform(200, 6, 4, -3, 3));
        string out_ = Path.Combine(_dir, "div");
        var (code, _, stderr) = Run("train", "--data", data, "--widths", "6,4", "--activation", "identity", "--optimizer", "sgd", "--lr", "5",
            "--batch", "20", "--epochs", "50", "--checkpoint-every", "1", "--out", out_);
        Assert.Equal(2, code);
        Assert.Contains("diverged", stderr);
        Assert.Single(stderr.Trim().Split('\n'), l => l.StartsWith("rglens:"));
        Assert.All(Network.Load(Path.Combine(out_, "network.npz")).GetWeights(1), v => Assert.True(float.IsFinite(v)));
        Assert.True(File.Exists(Path.Combine(out_, "checkpoint.npz")));
        Assert.Equal("diverged", JsonNode.Parse(File.ReadAllText(Path.Combine(out_, "run.json")))!["results"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void ARunKilledWithSigkillResumesToTheSameNetwork()
    {
        string data = Path.Combine(_dir, "s.npy");
        Npy.WriteMatrix(data, NnTestData.Spins(1000, 16, 4).Convert<sbyte>());
        string[] args = ["train", "--data", data, "--widths", "16,8", "--batch", "10", "--epochs", "60", "--patience", "0",
            "--checkpoint-every", "100", "--threads", "1", "--seed", "3"];
        string reference = Path.Combine(_dir, "reference"), killed = Path.Combine(_dir, "killed");
        Assert.Equal(0, CliApp.Run([.. args, "--out", reference], TextWriter.Null, TextWriter.Null));

        // 5400 steps; the first checkpoint comes after 100 of them, and the kill follows within milliseconds.
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "rglens")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])[.. args, "--out", killed]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string checkpoint = Path.Combine(killed, "checkpoint.npz");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(2);
        process.Kill();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.False(File.Exists(Path.Combine(killed, "network.npz")));

        var error = new StringWriter();
        Assert.True(CliApp.Run([.. args, "--out", killed, "--resume"], TextWriter.Null, error) == 0, error.ToString());
        for (int l = 1; l <= 2; l++)
            Assert.Equal(Network.Load(Path.Combine(reference, "network.npz")).GetWeights(l), Network.Load(Path.Combine(killed, "network.npz")).GetWeights(l));
        Assert.Empty(Directory.GetFiles(killed, "*.partial"));
        Assert.Equal(File.ReadAllLines(Path.Combine(reference, "loss.csv")).Select(DropSeconds), File.ReadAllLines(Path.Combine(killed, "loss.csv")).Select(DropSeconds));
    }

    private static string DropSeconds(string csvLine) => csvLine[..csvLine.LastIndexOf(',')];

    public static TheoryData<string, string[]> BadInputs() => new()
    {
        { "the first width is the input width", ["--widths", "12,8"] },
        { "learning rate must be > 0", ["--widths", "16,8", "--lr", "0"] },
        { "learning rate must be > 0", ["--widths", "16,8", "--lr", "-1"] },
        { "unknown --optimizer 'rmsprop'", ["--widths", "16,8", "--optimizer", "rmsprop"] },
        { "unknown activation 'softmax'", ["--widths", "16,8", "--output-activation", "softmax"] },
        { "unknown activation 'swish'", ["--widths", "16,8", "--activation", "swish"] },
        { "unknown loss 'hinge'", ["--widths", "16,8", "--loss", "hinge"] },
        { "unknown objective 'gan'", ["--widths", "16,8", "--objective", "gan"] },
        { "--widths takes positive integers", ["--widths", "16,x"] },
        { "needs --targets", ["--widths", "16,8", "--objective", "supervised"] },
        { "no checkpoint", ["--widths", "16,8", "--resume"] },
        { "--snapshot-steps takes", ["--widths", "16,8", "--snapshot-steps", "5,-1"] },
        { "targets in [0, 1]", ["--widths", "16,8", "--loss", "bce"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadOptionsGiveOneLineAndExitCode2(string fragment, string[] options)
    {
        string data = Spins();
        AssertUsageError(fragment, ["train", "--data", data, "--out", Path.Combine(_dir, "bad"), .. options]);
    }

    [Fact]
    public void BadDataGivesOneLineAndExitCode2()
    {
        string empty = Path.Combine(_dir, "empty.npy");
        Npy.WriteMatrix(empty, new SampleMatrix<float>(0, 16));
        AssertUsageError("no samples", ["train", "--data", empty, "--widths", "16,8", "--out", _dir]);

        AssertUsageError("at least 2 samples", ["train", "--data", Spins(rows: 1, name: "one.npy"), "--widths", "16,8", "--out", _dir]);

        string nan = Path.Combine(_dir, "nan.npy");
        var m = NnTestData.Uniform(50, 16, 1);
        m[7, 3] = float.NaN;
        Npy.WriteMatrix(nan, m);
        AssertUsageError("row 8, column 4", ["train", "--data", nan, "--widths", "16,8", "--out", _dir]);

        AssertUsageError("does not exist", ["train", "--data", Path.Combine(_dir, "missing.npy"), "--widths", "16,8", "--out", _dir]);
    }

    [Fact]
    public void CorruptOrTruncatedNetworkFilesGiveOneLineAndExitCode2()
    {
        string data = Spins(), network = Path.Combine(_dir, "net.npz");
        Network.Create(NetworkSpec.Autoencoder([16, 8]), 1).Save(network);
        byte[] bytes = File.ReadAllBytes(network);
        File.WriteAllBytes(network, bytes[..(bytes.Length * 2 / 3)]);
        AssertUsageError("not a readable network file", ["train", "--data", data, "--widths", "16,8", "--init-from", network, "--out", _dir]);
        File.WriteAllText(network, "this is not a zip archive");
        AssertUsageError("not a readable network file", ["train", "--data", data, "--widths", "16,8", "--init-from", network, "--out", _dir]);

        string checkpointFolder = Path.Combine(_dir, "ck");
        Directory.CreateDirectory(checkpointFolder);
        File.WriteAllBytes(Path.Combine(checkpointFolder, "checkpoint.npz"), bytes[..100]);
        AssertUsageError("not a readable checkpoint", ["train", "--data", data, "--widths", "16,8", "--resume", "--out", checkpointFolder]);
    }

    [Fact]
    public void BenchMlpPrintsJson()
    {
        var (code, stdout, stderr) = Run("bench", "mlp", "--workload", "small", "--threads", "1", "--seconds", "0.05");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal(MlpBenchmark.KernelPath, json["kernel_path"]!.GetValue<string>());
        var r = json["results"]!.AsArray().Single()!;
        Assert.Equal("small", r["workload"]!.GetValue<string>());
        Assert.True(r["samples_per_s"]!.GetValue<double>() > 0);
        AssertUsageError("unknown --workload 'huge'", ["bench", "mlp", "--workload", "huge"]);
        AssertUsageError("unknown kernel path 'neon'", ["bench", "mlp", "--kernel", "neon"]);
        (code, stdout, stderr) = Run("bench", "mlp", "--workload", "small", "--threads", "1", "--seconds", "0.05", "--kernel", "scalar");
        Assert.True(code == 0, stderr);
        Assert.Equal("scalar", JsonNode.Parse(stdout)!["kernel_path"]!.GetValue<string>());
        AssertUsageError("--seconds must be a finite number of seconds in (0, 3600]; got 0", ["bench", "mlp", "--seconds", "0"]);
    }

    private static void AssertUsageError(string fragment, string[] args)
    {
        var (code, _, stderr) = Run(args);
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains(fragment, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }
}
