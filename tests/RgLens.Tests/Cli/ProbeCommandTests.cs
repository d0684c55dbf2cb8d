using System.Text.Json;
using RgLens.Experiments;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Sampling;
using RgLens.Tests.Probes;

namespace RgLens.Tests.Cli;

public class ProbeCommandTests
{
    private static (Network Net, string Data) Fixture(TempDirectory dir)
    {
        var model = new ChainModel(new IsingParameters(0.8, 0.2), 16);
        var x = IsingSampler.Sample(model, 1500, seed: 2).Convert<float>();
        var net = Trainer.Train(NetworkSpec.Autoencoder([16, 8, 4], Activation.Tanh), x, null, new TrainerOptions { Epochs = 3, Seed = 4 }).Network;
        string data = dir.File("x.npy");
        RgLens.IO.Npy.WriteMatrix(data, x);
        return (net, data);
    }

    [Fact]
    public void ProbesRgLensAndOnnxNetworksAndWritesItsFolder()
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        net.Save(dir.File("net.npz"));
        OnnxExport.Save(net, dir.File("net.onnx"));
        var npz = CliRunner.Run("probe", "--network", dir.File("net.npz"), "--data", data, "--replicates", "10", "--json");
        Assert.True(npz.ExitCode == 0, npz.Error);
        using (var doc = JsonDocument.Parse(npz.Output))
        {
            var layers = doc.RootElement.GetProperty("layers");
            Assert.Equal(3, layers.GetArrayLength()); // the hidden layers 16-8-4-8-16: 8, 4, 8
            Assert.Equal(4, layers[0].GetProperty("readings").GetArrayLength());
            Assert.Equal("layer1", layers[0].GetProperty("name").GetString());
        }
        var onnx = CliRunner.Run("probe", "--network", dir.File("net.onnx"), "--data", data, "--replicates", "10", "--readings", "sign,continuous",
            "--out", dir.File("run"), "--save-activations", dir.File("acts"));
        Assert.True(onnx.ExitCode == 0, onnx.Error);
        foreach (string f in new[] { "run/run.json", "run/report.html", "run/coupling.png", "run/coupling.svg", "acts/layer1.act.pre.npy", "acts/layer1.act.act.npy" })
            Assert.True(File.Exists(dir.File(f)), f);
        // The saved activations are the engine's own, to float precision.
        var act = RgLens.IO.Npy.ReadMatrix<float>(dir.File("acts/layer1.act.act.npy"));
        var expected = net.Observe(RgLens.IO.Npy.ReadMatrix<float>(data)).Activations(1);
        Assert.Equal(expected.Columns, act.Columns);
        for (int i = 0; i < act.Data.Length; i += 97) Assert.Equal(expected.Data[i], act.Data[i], 5);
    }

    [Fact]
    public void ActivationsSavedAsOneHdf5FileAreTheNpyFilesForH5py()
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        OnnxExport.Save(net, dir.File("net.onnx"));
        string[] args = ["probe", "--network", dir.File("net.onnx"), "--data", data, "--replicates", "0", "--readings", "sign"];
        var npy = CliRunner.Run([.. args, "--save-activations", dir.File("acts")]);
        var h5 = CliRunner.Run([.. args, "--save-activations", dir.File("out/acts.h5")]);
        Assert.True(npy.ExitCode == 0 && h5.ExitCode == 0, npy.Error + h5.Error);
        // h5py (not RgLens) reads every group; each dataset equals the NPY file bit for bit, and the
        // group keeps the ONNX tensor name that its link name had to lose.
        const string script = "import sys, os, numpy as np, h5py\n"
            + "with h5py.File(sys.argv[1], 'r') as f:\n"
            + "    for g in sorted(f):\n"
            + "        for d in ('pre', 'act'):\n"
            + "            a = f[g][d][()]; b = np.load(os.path.join(sys.argv[2], g + '.' + d + '.npy'))\n"
            + "            assert a.dtype == np.float32 and a.shape == b.shape and np.array_equal(a, b), (g, d)\n"
            + "        print(g, f[g].attrs['layer'], f[g].attrs['operation'], f[g]['act'].shape[0], f[g]['act'].shape[1])\n";
        var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-c", script, dir.File("out/acts.h5"), dir.File("acts")])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd(), error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "h5py (python3-h5py) read: " + error);
        var graph = OnnxGraph.Read(File.ReadAllBytes(dir.File("net.onnx")), "net.onnx");
        var tanh = graph.Nodes.Where(n => n.OpType == "Tanh").ToArray();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(tanh.Length, lines.Length);
        foreach (var node in tanh)
            Assert.Contains(lines, l => l.Contains(" " + node.Outputs[0] + " Tanh 1500 "));
        Assert.Equal(File.ReadAllBytes(dir.File("out/acts.h5")), Rewrite());
        byte[] Rewrite()
        {
            // Same run, same bytes.
            var again = CliRunner.Run([.. args, "--save-activations", dir.File("again.h5")]);
            Assert.True(again.ExitCode == 0, again.Error);
            return File.ReadAllBytes(dir.File("again.h5"));
        }

        // A dataset path, or a folder where the file should go, is refused before any work.
        var inner = CliRunner.Run([.. args, "--save-activations", dir.File("x.h5") + ":/g"]);
        CliRunner.AssertOneLineError(inner.ExitCode, inner.Error, "name the HDF5 file alone", "probe");
        Directory.CreateDirectory(dir.File("taken.h5"));
        var folder = CliRunner.Run([.. args, "--save-activations", dir.File("taken.h5")]);
        CliRunner.AssertOneLineError(folder.ExitCode, folder.Error, "is a folder; give a file name", "probe");
        Assert.False(File.Exists(dir.File("x.h5")));
    }

    [Fact]
    public void LayersAreFoundByEveryNameAUserWouldGiveThem()
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        net.Save(dir.File("net.npz"));
        OnnxExport.Save(net, dir.File("net.onnx"));
        string Readings(params string[] args)
        {
            var r = CliRunner.Run(["probe", "--data", data, "--replicates", "10", "--readings", "sign", "--json", .. args]);
            Assert.True(r.ExitCode == 0, r.Error);
            using var doc = JsonDocument.Parse(r.Output);
            return string.Join("|", doc.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("readings").GetRawText()));
        }
        // An RgLens file's layer 2 by its own name and by the ONNX export's tensor names (the
        // export reads the same layer to float32 rounding: OnnxDenseWeightsTests, ConvOnnxExportTests).
        string layer2 = Readings("--network", dir.File("net.npz"), "--layers", "layer2");
        Assert.Equal(layer2, Readings("--network", dir.File("net.npz"), "--layers", "layer2.act"));
        Assert.Equal(layer2, Readings("--network", dir.File("net.npz"), "--layers", "layer2.pre"));
        // A model that returns a hidden activation as a second output (output, features): that
        // activation is still a default layer; only the network's own output (the first) is not.
        string all = Readings("--network", dir.File("net.onnx"));
        File.WriteAllBytes(dir.File("two.onnx"), OnnxGraph.WithOutputs(File.ReadAllBytes(dir.File("net.onnx")), ["layer1.act"]));
        Assert.Equal(all, Readings("--network", dir.File("two.onnx")));
        var empty = CliRunner.Run("probe", "--network", dir.File("net.onnx"), "--data", data, "--layers", "");
        CliRunner.AssertOneLineError(empty.ExitCode, empty.Error, "--layers: no layer named", "probe");
    }

    [Fact]
    public void AnInfiniteMultiInformationIsExplainedNotJustPrinted()
    {
        // Two copies of one unit in layer 1: R is singular, −½ ln det R = ∞. The number stays (it is
        // the Gaussian measure's value) and every reading says why, in JSON and in the table.
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        var w = Enumerable.Range(1, net.Depth).Select(net.GetWeights).ToList();
        var b = Enumerable.Range(1, net.Depth).Select(net.GetBiases).ToList();
        int ins = net.Spec.Widths[0];
        Array.Copy(w[0], 0, w[0], ins, ins);
        b[0][1] = b[0][0];
        net.Save(dir.File("net.npz"));
        Network.FromWeights(net.Spec, w, b).Save(dir.File("twin.npz"));
        string[] args = ["probe", "--network", dir.File("twin.npz"), "--data", data, "--replicates", "0", "--readings", "sign,continuous", "--layers", "layer1"];
        var json = CliRunner.Run([.. args, "--json"]);
        Assert.True(json.ExitCode == 0, json.Error);
        using (var doc = JsonDocument.Parse(json.Output))
            foreach (var reading in doc.RootElement.GetProperty("layers")[0].GetProperty("readings").EnumerateArray())
                Assert.Contains(reading.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("correlation matrix is singular"));
        var text = CliRunner.Run(args);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("warning (layer1, sign): the units' correlation matrix is singular", text.Output);
        Assert.Contains("warning (layer1, continuous): the units' correlation matrix is singular", text.Output);
        // The original network's layer is not singular and carries no such warning.
        var plain = CliRunner.Run("probe", "--network", dir.File("net.npz"), "--data", data, "--replicates", "0", "--readings", "sign", "--layers", "layer1");
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.DoesNotContain("singular", plain.Output);
    }

    [Fact]
    public void ProbeOutRefusesAnUnrelatedFolderAndNamesWhatItWrote()
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        net.Save(dir.File("net.npz"));
        string[] args = ["probe", "--network", dir.File("net.npz"), "--data", data, "--replicates", "0", "--readings", "sign"];
        Directory.CreateDirectory(dir.File("mine"));
        File.WriteAllText(dir.File("mine/run.json"), "{\"mine\": 1}");
        var refused = CliRunner.Run([.. args, "--out", dir.File("mine")]);
        CliRunner.AssertOneLineError(refused.ExitCode, refused.Error, "is not a previous 'rglens probe' run", "probe");
        Assert.Equal("{\"mine\": 1}", File.ReadAllText(dir.File("mine/run.json")));
        var first = CliRunner.Run([.. args, "--out", dir.File("run"), "--save-activations", dir.File("acts.h5")]);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("wrote " + Path.Combine(dir.File("run"), "run.json"), first.Output);
        Assert.Contains("wrote the activations of 3 layer(s) to " + dir.File("acts.h5"), first.Output);
        var again = CliRunner.Run([.. args, "--out", dir.File("run"), "--json"]); // a previous probe's folder is reused
        Assert.True(again.ExitCode == 0, again.Error);
        using (var doc = JsonDocument.Parse(again.Output))
            Assert.Equal(Path.GetFullPath(dir.File("run")), doc.RootElement.GetProperty("out").GetString());
        using (var manifest = JsonDocument.Parse(File.ReadAllText(dir.File("run/run.json"))))
        {
            var p = manifest.RootElement.GetProperty("parameters");
            Assert.Equal("sign", p.GetProperty("readings")[0].GetString());
            Assert.Equal(0, p.GetProperty("replicates").GetInt32());
        }
        var forced = CliRunner.Run([.. args, "--out", dir.File("mine"), "--force"]);
        Assert.True(forced.ExitCode == 0, forced.Error);
    }

    [Fact]
    public void ProbeAndEvalReadAnHdf5DatasetAsTheSameValuesInNpy()
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        net.Save(dir.File("net.npz"));
        var x = RgLens.IO.Npy.ReadMatrix<float>(data);
        var values = new sbyte[x.Rows, x.Columns];
        for (int r = 0; r < x.Rows; r++)
            for (int c = 0; c < x.Columns; c++) values[r, c] = (sbyte)x[r, c];
        new PureHDF.H5File { ["mc"] = new PureHDF.H5Group { ["spins"] = new PureHDF.H5Dataset(values) } }.Write(dir.File("x.h5"));
        string h5 = dir.File("x.h5") + ":/mc/spins";
        foreach (var command in new[] { new[] { "probe", "--replicates", "10", "--readings", "sign,index" }, new[] { "eval" } })
        {
            var fromNpy = CliRunner.Run([.. command, "--network", dir.File("net.npz"), "--data", data, "--json"]);
            var fromH5 = CliRunner.Run([.. command, "--network", dir.File("net.npz"), "--data", h5, "--json"]);
            Assert.True(fromNpy.ExitCode == 0 && fromH5.ExitCode == 0, fromNpy.Error + fromH5.Error);
            using var a = JsonDocument.Parse(fromNpy.Output);
            using var b = JsonDocument.Parse(fromH5.Output);
            // Everything but the file's name (and the envelope's timing) is the same.
            string Strip(JsonElement e) => e.GetProperty(command[0] == "probe" ? "layers" : "loss").GetRawText();
            Assert.Equal(Strip(a.RootElement), Strip(b.RootElement));
        }
        var missing = CliRunner.Run("probe", "--network", dir.File("net.npz"), "--data", dir.File("x.h5") + ":/mc/none");
        CliRunner.AssertOneLineError(missing.ExitCode, missing.Error, "no dataset '/mc/none'", "probe");
    }

    [Fact]
    public void AnActivationNamedByTensorOrNodeIsReadAsTheDefaultLayerIs()
    {
        // A named activation output once came in as its own pre-activation, so the stochastic
        // reading took tanh of the activation, and a node's name ended in an internal error.
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        OnnxExport.Save(net, dir.File("net.onnx"));
        var graph = OnnxGraph.Read(File.ReadAllBytes(dir.File("net.onnx")), "net.onnx");
        var tanh = graph.Nodes.First(n => n.OpType == "Tanh");
        string Layer0(params string[] extra)
        {
            var r = CliRunner.Run(["probe", "--network", dir.File("net.onnx"), "--data", data, "--replicates", "10", "--readings", "sign,stochastic,continuous", "--json", .. extra]);
            Assert.True(r.ExitCode == 0, r.Error);
            using var doc = JsonDocument.Parse(r.Output);
            var layer = doc.RootElement.GetProperty("layers")[0];
            Assert.Equal(tanh.Outputs[0], layer.GetProperty("name").GetString());
            return layer.GetProperty("readings").GetRawText();
        }
        string byDefault = Layer0();
        Assert.Equal(byDefault, Layer0("--layers", tanh.Outputs[0]));
        Assert.Equal(byDefault, Layer0("--layers", tanh.Name));
    }

    [Fact]
    public void GaugeFixedReadingsAreInvariantThroughOnnx()
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        var changed = GaugeTests.Permute(GaugeTests.Flip(net, 1, 3), 1, [7, 2, 5, 0, 1, 6, 4, 3]);
        OnnxExport.Save(net, dir.File("a.onnx"));
        OnnxExport.Save(changed, dir.File("b.onnx"));
        var x = RgLens.IO.Npy.ReadMatrix<float>(data);
        IReading[] readings = [new SignReading(), new StochasticReading(), new ContinuousReading()];
        var a = NetworkProbeRun.Run(dir.File("a.onnx"), x, null, readings, Boundary.Periodic, 10, 1, 1);
        var b = NetworkProbeRun.Run(dir.File("b.onnx"), x, null, readings, Boundary.Periodic, 10, 1, 1);
        Assert.Equal(a.Count, b.Count);
        for (int l = 0; l < a.Count; l++)
            for (int r = 0; r < readings.Length; r++)
            {
                var ma = a[l].Measurement.Readings[r];
                var mb = b[l].Measurement.Readings[r];
                Assert.True(Math.Abs(ma.Coupling.Estimate - mb.Coupling.Estimate) < 1e-3, $"layer {l + 1} {ma.Reading}: {ma.Coupling.Estimate} vs {mb.Coupling.Estimate}");
                Assert.True(Math.Abs(ma.MultiInformation - mb.MultiInformation) < 1e-3);
            }
    }

    [Fact]
    public void ConvLayersReadChannelByChannelAlikeFromNpzAndTheirOnnxExport()
    {
        using var dir = new TempDirectory();
        var model = new ChainModel(new IsingParameters(0.8, 0.2), 16);
        var x = IsingSampler.Sample(model, 1500, seed: 2).Convert<float>();
        var net = RgLens.Tests.Nn.NnTestData.RandomNetwork(RgLens.Tests.Networks.ConvOnnxExportTests.Spec("periodic-k3-autoencoder"), seed: 5);
        string data = dir.File("x.npy");
        RgLens.IO.Npy.WriteMatrix(data, x);
        net.Save(dir.File("net.npz"));
        OnnxExport.Save(net, dir.File("net.onnx"));
        IReading[] readings = [new SignReading(), new StochasticReading(), new ContinuousReading()];
        var a = NetworkProbeRun.Run(dir.File("net.npz"), x, null, readings, Boundary.Periodic, 10, 1, 1);
        var b = NetworkProbeRun.Run(dir.File("net.onnx"), x, null, readings, Boundary.Periodic, 10, 1, 1);
        Assert.Equal(3, a.Count); // the hidden layers: 4 x 8, 3 x 4, 4 x 8 (channels x sites)
        Assert.Equal(a.Count, b.Count);
        for (int l = 0; l < a.Count; l++)
        {
            var expected = ChannelLayout.Of(net.Spec.Layers[l]);
            Assert.NotNull(expected);
            Assert.Equal(expected, a[l].Channels);
            Assert.Equal(expected, b[l].Channels);
            // Per-channel signs from the same pre-activations (to float rounding): the same gauge.
            Assert.Equal(a[l].Measurement.Gauge.Signs, b[l].Measurement.Gauge.Signs);
            Assert.Equal(a[l].Measurement.Gauge.Order, b[l].Measurement.Gauge.Order);
            for (int r = 0; r < readings.Length; r++)
            {
                var ma = a[l].Measurement.Readings[r];
                var mb = b[l].Measurement.Readings[r];
                string what = $"layer {l + 1} {ma.Reading}";
                Assert.Equal(expected.Units, ma.Units);
                Assert.Equal(ma.Units, mb.Units);
                // The two engines' activations differ by float rounding (~1e-7): a sign or a rank among
                // 1500 samples may change, which moves an estimate by ~1e-4 at most.
                Assert.True(Math.Abs(ma.Coupling.Estimate - mb.Coupling.Estimate) < 1e-3, $"{what}: {ma.Coupling.Estimate} vs {mb.Coupling.Estimate}");
                Assert.True(Math.Abs(ma.MultiInformation - mb.MultiInformation) < 1e-3, what);
                Assert.Equal(ma.UnitMeans.Count, mb.UnitMeans.Count);
                for (int k = 0; k < ma.UnitMeans.Count; k++) Assert.True(Math.Abs(ma.UnitMeans[k] - mb.UnitMeans[k]) < 1e-3, $"{what} unit {k}");
            }
        }

        // The readings are the per-channel ones correspond makes (NetworkProbe, encoder layers 1 and 2), for the NPZ network.
        var correspond = NetworkProbe.Layers(net, x, readings, Boundary.Periodic, 10, 1, orderFree: false);
        Assert.Equal(2, correspond.Count);
        for (int l = 0; l < correspond.Count; l++)
            for (int r = 0; r < readings.Length; r++)
                Assert.Equal(correspond[l].Readings[r].Coupling.Estimate, a[l].Measurement.Readings[r].Coupling.Estimate);

        // And the command says so.
        foreach (string file in new[] { "net.npz", "net.onnx" })
        {
            var run = CliRunner.Run("probe", "--network", dir.File(file), "--data", data, "--replicates", "0", "--readings", "sign", "--json");
            Assert.True(run.ExitCode == 0, run.Error);
            using var doc = JsonDocument.Parse(run.Output);
            var first = doc.RootElement.GetProperty("layers")[0].GetProperty("channels");
            Assert.Equal(4, first.GetProperty("channels").GetInt32());
            Assert.Equal(8, first.GetProperty("sites").GetInt32());
            Assert.Equal("site-major", first.GetProperty("layout").GetString());
        }
    }

    [Fact]
    public void ADenseLayerAboveAConvolutionReadsAlikeFromNpzAndOnnx()
    {
        // Conv (2 channels x 8 sites) -> dense 6 -> conv of one site (4 channels) -> dense 16: the dense layer and the
        // one-site convolution are read as one gauge-fixed chain, with the empirical receptive field in both formats.
        var spec = new NetworkSpec(16,
        [
            LayerSpec.Conv1d(1, 2, 16, 3, 2, Padding.Circular, Activation.Tanh),
            new LayerSpec(6, Activation.Tanh),
            LayerSpec.Conv1d(2, 4, 3, 3, 3, Padding.Zero, Activation.Tanh),
            new LayerSpec(16, Activation.Identity),
        ], 2, Objective.Autoencoder);
        using var dir = new TempDirectory();
        var x = IsingSampler.Sample(new ChainModel(new IsingParameters(0.8, 0.2), 16), 1000, seed: 4).Convert<float>();
        var net = RgLens.Tests.Nn.NnTestData.RandomNetwork(spec, seed: 6);
        net.Save(dir.File("net.npz"));
        OnnxExport.Save(net, dir.File("net.onnx"));
        IReading[] readings = [new SignReading(), new ContinuousReading()];
        var a = NetworkProbeRun.Run(dir.File("net.npz"), x, null, readings, Boundary.Periodic, 0, 1, 1);
        var b = NetworkProbeRun.Run(dir.File("net.onnx"), x, null, readings, Boundary.Periodic, 0, 1, 1);
        Assert.Equal([new ChannelLayout(2, 8, ChannelOrder.SiteMajor), null, null], a.Select(p => p.Channels));
        Assert.Equal(a.Select(p => p.Channels), b.Select(p => p.Channels));
        for (int l = 1; l < 3; l++)
        {
            Assert.Equal(a[l].Measurement.Gauge.Order, b[l].Measurement.Gauge.Order);
            for (int r = 0; r < readings.Length; r++)
                Assert.True(Math.Abs(a[l].Measurement.Readings[r].Coupling.Estimate - b[l].Measurement.Readings[r].Coupling.Estimate) < 1e-3,
                    $"layer {l + 1} {readings[r].Id}");
        }
        // correspond's reading of the same network (feature layer 2, the dense one) uses the same empirical gauge.
        var c = NetworkProbe.Layers(net, x, readings, Boundary.Periodic, 0, 1, orderFree: false);
        Assert.Equal(2, c.Count);
        Assert.Equal(a[1].Measurement.Gauge.Order, c[1].Gauge.Order);
    }

    [Theory]
    [InlineData("--layers layer9", "no layer 'layer9'")]
    [InlineData("--readings sign,telepathy", "telepathy")]
    [InlineData("--boundary twisted", "--boundary")]
    [InlineData("--replicates -1", "--replicates")]
    public void BadProbesGiveOneLineAndExitTwo(string extra, string fragment)
    {
        using var dir = new TempDirectory();
        var (net, data) = Fixture(dir);
        net.Save(dir.File("net.npz"));
        var r = CliRunner.Run(["probe", "--network", dir.File("net.npz"), "--data", data, .. extra.Split(' ')]);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Error}");
        Assert.Contains(fragment, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void DataOfTheWrongWidthIsOneLine()
    {
        using var dir = new TempDirectory();
        var (net, _) = Fixture(dir);
        net.Save(dir.File("net.npz"));
        RgLens.IO.Npy.WriteMatrix(dir.File("wide.npy"), new RgLens.Data.SampleMatrix<float>(10, 20));
        var r = CliRunner.Run("probe", "--network", dir.File("net.npz"), "--data", dir.File("wide.npy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("takes 16 inputs", r.Error);
    }

    [Fact]
    public void BenchProbeTimesTheReadingsBesideTheForwardPass()
    {
        var r = CliRunner.Run("bench", "probe", "--workload", "small", "--samples", "300", "--replicates", "5", "--threads", "1", "--rounds", "2");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Output);
        var root = doc.RootElement;
        Assert.Equal("bench probe", root.GetProperty("command").GetString());
        Assert.Equal("probe", root.GetProperty("benchmark").GetString());
        Assert.Equal(300, root.GetProperty("samples").GetInt32());
        Assert.Equal(2, root.GetProperty("rounds").GetInt32());
        // The small workload 64-32-16 has hidden layers 32, 16, 32, each read by every reading.
        Assert.Equal(new[] { 32, 16, 32 }, root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("units").GetInt32()).ToArray());
        Assert.Equal(Readings.All.Select(x => x.Id).ToArray(), root.GetProperty("readings").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.True(root.GetProperty("onnx_forward_s").GetDouble() > 0);
        foreach (string side in new[] { "npz", "onnx" })
        {
            var s = root.GetProperty(side);
            double pass = s.GetProperty("network_pass_s").GetDouble(), readings = s.GetProperty("readings_s").GetDouble();
            Assert.True(pass >= 0 && readings > 0 && s.GetProperty("probe_s").GetDouble() > readings, $"{side}: pass {pass}, readings {readings}");
            Assert.True(s.GetProperty("onnx_forward_s").GetDouble() > 0);
            // The ratio is the median over the rounds (of two: their mean), each round's readings over the forward pass timed beside them.
            var perRound = s.GetProperty("ratio_per_round").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.Equal(2, perRound.Length);
            double ratio = s.GetProperty("readings_over_onnx_forward").GetDouble();
            Assert.True(ratio > 0);
            Assert.Equal(perRound.Average(), ratio, 0.0011);
            Assert.Equal(ratio < 3, s.GetProperty("meets_target").GetBoolean());
        }
        var noRounds = CliRunner.Run("bench", "probe", "--rounds", "0");
        CliRunner.AssertOneLineError(noRounds.ExitCode, noRounds.Error, "--rounds");
        var bad = CliRunner.Run("bench", "probe", "--workload", "huge");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--workload", bad.Error);
    }
}
