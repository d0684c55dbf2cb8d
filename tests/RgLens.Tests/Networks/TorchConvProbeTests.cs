using RgLens.Experiments;
using RgLens.IO;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Probes;

namespace RgLens.Tests.Networks;

/// <summary>
/// A 1-D convolutional network built and exported by PyTorch (scripts/torch_conv1d_onnx.py, run by
/// the system's Python; CI installs python3-torch): its hidden layers are genuine NCW tensors
/// [batch, C, W], which <c>rglens probe</c> must read as C chains of W sites (column c·W + w), not
/// as RgLens's site-major units. Checked against PyTorch's own activations: ONNX Runtime agrees
/// with PyTorch to 1e-5, and each per-unit mean the readings report, in channel-then-site order,
/// is the channel's sign times PyTorch's mean of that unit.
/// </summary>
public class TorchConvProbeTests
{
    private const double Agreement = 1e-5;

    [Fact]
    public void ProbeReadsATorchConv1dLayerAsChannelsOfSites()
    {
        using var dir = new TempDirectory();
        NetworkTestSupport.RunPythonScript("torch_conv1d_onnx.py", dir.Path);

        var x = Npy.ReadMatrix<float>(dir.File("input.npy"));
        int n = x.Rows;
        IReading[] readings = [new SignReading(), new ContinuousReading()];
        var probed = NetworkProbeRun.Run(dir.File("model.onnx"), x, null, readings, Boundary.Open, 0, 1, 1);
        Assert.Equal(2, probed.Count);
        (int C, int W)[] sizes = [(3, 8), (2, 4)];
        for (int i = 0; i < 2; i++)
        {
            var (c, w) = sizes[i];
            var layer = probed[i];
            string what = $"layer {i + 1} ({layer.Name})";
            Assert.Equal("Tanh", layer.Operation);
            Assert.Equal([(long)c, w], layer.Shape);
            Assert.Equal(new ChannelLayout(c, w, ChannelOrder.ChannelMajor), layer.Channels);
            Assert.Equal(c * w, layer.Measurement.Width);

            float[] torch;
            long[] shape;
            using (var f = File.OpenRead(dir.File($"act{i + 1}.npy"))) (torch, shape) = Npy.ReadArray<float>(f, $"act{i + 1}.npy");
            Assert.Equal([(long)n, c, w], shape);
            double At(int b, int ch, int site) => torch[(b * c + ch) * w + site];

            // ONNX Runtime's layer is PyTorch's tensor, flattened NCW.
            double worst = 0;
            for (int b = 0; b < n; b++)
                for (int ch = 0; ch < c; ch++)
                    for (int site = 0; site < w; site++)
                        worst = Math.Max(worst, Math.Abs(layer.Activations[b, ch * w + site] - At(b, ch, site)));
            Assert.True(worst <= Agreement, $"{what}: ONNX Runtime against PyTorch, max |difference| {worst:G3}");

            // One sign per channel, units in column order (no order gauge: the sites are the chain).
            var gauge = layer.Measurement.Gauge;
            Assert.Equal(Enumerable.Range(0, c * w), gauge.Order);
            for (int ch = 0; ch < c; ch++)
                Assert.All(Enumerable.Range(0, w), site => Assert.Equal(gauge.Signs[ch * w], gauge.Signs[ch * w + site]));

            var continuous = layer.Measurement["continuous"];
            var sign = layer.Measurement["sign"];
            Assert.Equal(c * w, continuous.UnitMeans.Count);
            for (int ch = 0; ch < c; ch++)
                for (int site = 0; site < w; site++)
                {
                    int s = gauge.Signs[ch * w];
                    int k = ch * w + site;
                    double mean = Enumerable.Range(0, n).Average(b => At(b, ch, site));
                    Assert.True(Math.Abs(s * mean - continuous.UnitMeans[k]) <= Agreement,
                        $"{what}: channel {ch} site {site}: continuous mean {continuous.UnitMeans[k]} vs sign {s} x PyTorch's {mean}");
                    // The binary reading's magnetization: tanh keeps the pre-activation's sign. A value within
                    // the engines' rounding of 0 may take either sign, moving the mean by 2/n each.
                    double magnet = Enumerable.Range(0, n).Average(b => At(b, ch, site) > 0 ? 1.0 : -1.0);
                    int ambiguous = Enumerable.Range(0, n).Count(b => Math.Abs(At(b, ch, site)) <= Agreement);
                    Assert.True(Math.Abs(s * magnet - sign.UnitMeans[k]) <= 2.0 * ambiguous / n + 1e-12,
                        $"{what}: channel {ch} site {site}: magnetization {sign.UnitMeans[k]} vs sign {s} x PyTorch's {magnet}");
                }
        }

        // The final output (the dense head) is PyTorch's.
        using var source = NetworkSources.Open(dir.File("model.onnx"));
        NetworkTestSupport.AssertClose(Npy.ReadMatrix<float>(dir.File("output.npy")), source.Run(x).Output.Values, Agreement, "output");
    }
}
