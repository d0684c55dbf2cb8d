using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Numerics;

namespace RgLens.Tests.Nn;

/// <summary>Conv1d layers: against PyTorch fixtures, the float64 reference, finite differences, padding, threads, training, files and bad specs.</summary>
public class ConvLayerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A small conv autoencoder: periodic or open chain of 8 sites, 2 → 3 channels with stride 2, then upsample back.</summary>
    private static NetworkSpec SmallConv(Padding padding, Activation hidden = Activation.Tanh, bool bias = true) => new(8,
    [
        LayerSpec.Conv1d(1, 3, 8, 3, 2, padding, hidden, bias),
        LayerSpec.Conv1d(3, 2, 4, 3, 2, padding, hidden, bias),
        LayerSpec.Conv1d(2, 2, 2, 3, 1, padding, hidden, bias, upsample: 2),
        LayerSpec.Conv1d(2, 1, 4, 5, 1, padding, Activation.Identity, bias, upsample: 2),
    ], 2, Objective.Autoencoder);

    /// <summary>A conv encoder with a dense head (the two kinds mixed).</summary>
    private static NetworkSpec Mixed() => new(12,
    [
        LayerSpec.Conv1d(2, 4, 6, 3, 2, Padding.Circular, Activation.Relu),
        LayerSpec.Conv1d(4, 17, 3, 3, 1, Padding.Zero, Activation.Tanh, upsample: 2),
        new LayerSpec(5, Activation.Sigmoid),
        new LayerSpec(2, Activation.Identity),
    ], 3, Objective.Supervised);

    public static TheoryData<string> FixtureCases() => new() { "circular_s2", "zeros_k5", "circular_up2", "zeros_s2", "circular_s2_wide", "zeros_up2_wide" };

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void MatchesPyTorchConv1dOnFixtureWeights(string name)
    {
        // scripts/conv1d_fixtures.py: PyTorch float64, (batch, channels, sites); the layer is site-major.
        var x = Fixture(name, "x"); var w = Fixture(name, "w"); var b = Fixture(name, "b"); var g = Fixture(name, "g");
        var y = Fixture(name, "y"); var dw = Fixture(name, "dw"); var db = Fixture(name, "db"); var dx = Fixture(name, "dx");
        int batch = (int)x.Shape[0], cin = (int)x.Shape[1], sites = (int)x.Shape[2], cout = (int)w.Shape[0], k = (int)w.Shape[2], outSites = (int)y.Shape[2];
        int upsample = name.Contains("up2") ? 2 : 1, stride = sites * upsample / outSites;
        var padding = name.StartsWith("circular", StringComparison.Ordinal) ? Padding.Circular : Padding.Zero;
        var spec = LayerSpec.Conv1d(cin, cout, sites, k, stride, padding, Activation.Identity, upsample: upsample);
        var layer = new Conv1dLayer(spec);
        double[] xs = SiteMajor(x.Data, batch, cin, sites), gs = SiteMajor(g.Data, batch, cout, outSites);
        double[] ys = SiteMajor(y.Data, batch, cout, outSites), dxs = SiteMajor(dx.Data, batch, cin, sites);

        // float64 reference, one sample at a time.
        var z = new double[layer.Outputs];
        var wGrad = new double[w.Data.Length];
        var bGrad = new double[cout];
        var down = new double[layer.Inputs];
        for (int s = 0; s < batch; s++)
        {
            layer.ReferenceForward(w.Data, b.Data, xs.AsSpan(s * layer.Inputs, layer.Inputs), z);
            AssertClose(ys.AsSpan(s * layer.Outputs, layer.Outputs), z, 1e-12, $"{name} reference forward");
            layer.ReferenceBackward(w.Data, xs.AsSpan(s * layer.Inputs, layer.Inputs), gs.AsSpan(s * layer.Outputs, layer.Outputs), wGrad, bGrad, down);
            AssertClose(dxs.AsSpan(s * layer.Inputs, layer.Inputs), down, 1e-12, $"{name} reference input gradient");
        }
        AssertClose(dw.Data, wGrad, 1e-12, $"{name} reference weight gradient");
        AssertClose(db.Data, bGrad, 1e-12, $"{name} reference bias gradient");

        // float32 fast path, the whole batch at once, on every kernel path.
        foreach (var path in new[] { KernelPaths.Best, KernelPath.Scalar })
        {
            var packed = new float[layer.PackedLength];
            float[] w32 = ToFloat(w.Data), b32 = ToFloat(b.Data);
            layer.Pack(w32, 0, cout, packed);
            var scratch = new float[layer.ScratchLength(batch)];
            var z32 = new float[batch * layer.Outputs];
            layer.Forward(batch, ToFloat(xs), packed, b32, z32, scratch, path);
            AssertClose(ys, NnTestData.ToDouble(z32), 1e-5, $"{name} forward ({path})");
            var w32Grad = new float[w32.Length];
            var b32Grad = new float[cout];
            layer.WeightGradient(batch, ToFloat(gs), ToFloat(xs), scratch, w32Grad, b32Grad, path);
            AssertClose(dw.Data, NnTestData.ToDouble(w32Grad), 1e-5, $"{name} weight gradient ({path})");
            AssertClose(db.Data, NnTestData.ToDouble(b32Grad), 1e-5, $"{name} bias gradient ({path})");
            var down32 = new float[batch * layer.Inputs];
            layer.InputGradient(batch, ToFloat(gs), w32, packed, scratch, down32, path);
            AssertClose(dxs, NnTestData.ToDouble(down32), 1e-5, $"{name} input gradient ({path})");
        }
    }

    [Theory]
    [InlineData(Padding.Circular, Activation.Tanh, true)]
    [InlineData(Padding.Zero, Activation.Sigmoid, true)]
    [InlineData(Padding.Circular, Activation.Relu, false)]
    public void ReferenceGradientMatchesCentralDifferences(Padding padding, Activation hidden, bool bias) =>
        AssertReferenceMatchesDifferences(SmallConv(padding, hidden, bias), Loss.MeanSquaredError, 11);

    [Fact]
    public void ReferenceGradientOfAConvEncoderWithADenseHeadMatchesCentralDifferences() =>
        AssertReferenceMatchesDifferences(Mixed(), Loss.MeanSquaredError, 12);

    [Theory]
    [InlineData(Padding.Circular)]
    [InlineData(Padding.Zero)]
    public void Float32EngineMatchesTheFloat64Path(Padding padding)
    {
        foreach (var spec in new[] { SmallConv(padding), Mixed() })
            foreach (int threads in new[] { 1, 2, 3 })
                foreach (var path in new[] { KernelPaths.Best, KernelPath.Scalar })
                {
                    int rows = 13;
                    var network = NnTestData.RandomNetwork(spec, 5);
                    var x = NnTestData.Uniform(rows, spec.InputWidth, 6);
                    var t = spec.Objective == Objective.Autoencoder ? x : NnTestData.Uniform(rows, spec.OutputWidth, 7);
                    var parameters = network.Parameters.ToArray();
                    using var engine = new StepEngine(spec, parameters, null, Loss.MeanSquaredError, threads, rows, path);
                    var gradient32 = new float[parameters.Length];
                    double loss32 = engine.Gradient(x, t, Enumerable.Range(0, rows).ToArray(), 0, rows, gradient32);
                    var gradient64 = new double[parameters.Length];
                    double loss64 = ReferenceNetwork.Loss(spec, NnTestData.ToDouble(parameters), NnTestData.ToDouble(x.Data), NnTestData.ToDouble(t.Data), rows, Loss.MeanSquaredError, gradient64);
                    Assert.True(Math.Abs(loss32 - loss64) <= 1e-4 * Math.Abs(loss64), $"loss {loss32} vs {loss64} ({threads} threads, {path})");
                    double error = NnTestData.RelativeError(NnTestData.ToDouble(gradient32), gradient64);
                    Assert.True(error < 1e-4, $"gradient relative error {error:E2} ({spec.Describe()}, {threads} threads, {path})");
                    // Inference (Network.Forward) agrees with the reference forward pass as well.
                    var output = network.Forward(x, threads);
                    var observed = network.Observe(x);
                    Assert.Equal(output.Data, observed.Activations(spec.Depth).Data);
                }
    }

    public static TheoryData<int, int, int, int, int, Padding, bool> FloatOrderCases() => new()
    {
        // (in, out, input sites, stride, upsample, padding, bias): the reference workload's layers, and zero padding.
        { 1, 8, 32, 2, 1, Padding.Circular, true },
        { 8, 16, 16, 2, 1, Padding.Circular, true },
        { 32, 32, 8, 1, 2, Padding.Circular, true },
        { 32, 16, 16, 1, 2, Padding.Zero, true },
        { 16, 8, 32, 1, 2, Padding.Circular, true },
        { 8, 1, 64, 1, 2, Padding.Circular, true },
        { 8, 1, 64, 1, 2, Padding.Zero, false },
        { 3, 5, 20, 2, 1, Padding.Zero, true },
        { 24, 20, 12, 1, 2, Padding.Circular, false },
    };

    [Theory]
    [MemberData(nameof(FloatOrderCases))]
    public void Float32KernelsMatchTheScalarOrderReferenceBitForBit(int cin, int cout, int sites, int stride, int upsample, Padding padding, bool bias)
    {
        var spec = LayerSpec.Conv1d(cin, cout, sites, 3, stride, padding, Activation.Identity, bias, upsample);
        var layer = new Conv1dLayer(spec);
        int n = 5, outSites = spec.OutputSites;
        var random = new Random(cin * 31 + cout);
        float[] Fill(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] w = Fill(cout * cin * 3), b = bias ? Fill(cout) : [], x = Fill(n * layer.Inputs), delta = Fill(n * layer.Outputs);
        var (z, wGrad, bGrad, down) = ScalarOrderReference(spec, n, w, b, x, delta);
        foreach (var path in new[] { KernelPaths.Best, KernelPath.Vector256, KernelPath.Scalar }.Where(KernelPaths.IsSupported))
        {
            var packed = new float[layer.PackedLength];
            layer.Pack(w, 0, cout, packed);
            var scratch = new float[layer.ScratchLength(n)];
            var z32 = new float[n * layer.Outputs];
            layer.Forward(n, x, packed, b, z32, scratch, path);
            AssertBits(z, z32, $"forward ({path})");
            var w32 = new float[w.Length];
            var b32 = new float[bias ? cout : 0];
            layer.WeightGradient(n, delta, x, scratch, w32, b32, path);
            AssertBits(wGrad, w32, $"weight gradient ({path})");
            AssertBits(bGrad, b32, $"bias gradient ({path})");
            var down32 = Enumerable.Repeat(float.NaN, n * layer.Inputs).ToArray();
            layer.InputGradient(n, delta, w, packed, scratch, down32, path);
            AssertBits(down, down32, $"input gradient ({path})");
        }
        Assert.True(outSites > 0);

        static void AssertBits(float[] expected, float[] actual, string what) =>
            Assert.True(expected.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual.Select(BitConverter.SingleToInt32Bits)), what);
    }

    /// <summary>
    /// The float32 conv in the engine's documented order, one element at a time: pre-activations
    /// sum the taps then channels with fused multiply-adds, from the bias (≥ 16 channels out) or from
    /// zero with the bias added last (fewer); weight gradients sum the samples × sites in order; each
    /// gathered input gradient sums the output channels, and they are added onto the sites tap by tap
    /// then site by site (fewer than 16 channels out) or site by site then tap (≥ 16).
    /// </summary>
    private static (float[] Z, float[] WeightGradient, float[] BiasGradient, float[] Down) ScalarOrderReference(
        LayerSpec spec, int n, float[] w, float[] b, float[] x, float[] delta)
    {
        int cin = spec.InChannels, cout = spec.OutChannels, k = spec.Kernel, outSites = spec.OutputSites, inSites = spec.InputSites;
        int upsampled = spec.UpsampledSites, pad = (k - 1) / 2;
        bool narrow = cout < 16;
        int Source(int j, int t)
        {
            int position = j * spec.Stride + t - pad;
            if (spec.Padding == Padding.Circular) position = ((position % upsampled) + upsampled) % upsampled;
            return position < 0 || position >= upsampled ? -1 : position / spec.Upsample;
        }
        var z = new float[n * outSites * cout];
        var wGrad = new float[w.Length];
        var bGrad = new float[b.Length];
        var down = new float[n * inSites * cin];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < outSites; j++)
                for (int o = 0; o < cout; o++)
                {
                    float acc = b.Length > 0 && !narrow ? b[o] : 0f;
                    for (int t = 0; t < k; t++)
                        for (int c = 0; c < cin; c++)
                        {
                            int site = Source(j, t);
                            acc = MathF.FusedMultiplyAdd(w[(o * cin + c) * k + t], site < 0 ? 0f : x[(s * inSites + site) * cin + c], acc);
                        }
                    z[(s * outSites + j) * cout + o] = b.Length > 0 && narrow ? acc + b[o] : acc;
                }
        for (int o = 0; o < cout; o++)
        {
            float bias = 0f;
            for (int r = 0; r < n * outSites; r++) bias += delta[r * cout + o];
            if (b.Length > 0) bGrad[o] = bias;
            for (int c = 0; c < cin; c++)
                for (int t = 0; t < k; t++)
                {
                    float acc = 0f;
                    for (int s = 0; s < n; s++)
                        for (int j = 0; j < outSites; j++)
                        {
                            int site = Source(j, t);
                            acc = MathF.FusedMultiplyAdd(delta[(s * outSites + j) * cout + o], site < 0 ? 0f : x[(s * inSites + site) * cin + c], acc);
                        }
                    wGrad[(o * cin + c) * k + t] = acc;
                }
        }
        float Gathered(int s, int j, int t, int c)
        {
            float acc = 0f;
            for (int o = 0; o < cout; o++) acc = MathF.FusedMultiplyAdd(delta[(s * outSites + j) * cout + o], w[(o * cin + c) * k + t], acc);
            return acc;
        }
        for (int s = 0; s < n; s++)
            for (int outer = 0; outer < (narrow ? k : outSites); outer++)
                for (int inner = 0; inner < (narrow ? outSites : k); inner++)
                {
                    int t = narrow ? outer : inner, j = narrow ? inner : outer, site = Source(j, t);
                    if (site < 0) continue;
                    for (int c = 0; c < cin; c++) down[(s * inSites + site) * cin + c] += Gathered(s, j, t, c);
                }
        return (z, wGrad, bGrad, down);
    }

    [Fact]
    public void CircularPaddingWrapsAndZeroPaddingDoesNot()
    {
        // Kernel (1, 1, 1): y_j = x_{j−1} + x_j + x_{j+1}; the ends wrap on a periodic chain and see 0 on an open one.
        float[] x = [1, 2, 3, 4, 5, 6];
        foreach (var padding in new[] { Padding.Circular, Padding.Zero })
        {
            var spec = new NetworkSpec(6, [LayerSpec.Conv1d(1, 1, 6, 3, 1, padding, Activation.Identity, bias: false)], 1, Objective.Autoencoder);
            var network = Network.FromWeights(spec, [[1f, 1f, 1f]], [[]]);
            var y = network.Forward(new SampleMatrix<float>(x, 1, 6)).Data;
            float[] expected = padding == Padding.Circular ? [6 + 1 + 2, 6, 9, 12, 15, 5 + 6 + 1] : [3, 6, 9, 12, 15, 11];
            Assert.Equal(expected, y);
        }
        // Stride 2 and an asymmetric kernel (1, 10, 100) — W[o, c, t] multiplies x at j·s + t − 1.
        var strided = new NetworkSpec(6, [LayerSpec.Conv1d(1, 1, 6, 3, 2, Padding.Circular, Activation.Identity, bias: false)], 1, Objective.Supervised);
        var ys = Network.FromWeights(strided, [[1f, 10f, 100f]], [[]]).Forward(new SampleMatrix<float>(x, 1, 6)).Data;
        Assert.Equal([6 + 10 + 200, 2 + 30 + 400, 4 + 50 + 600], ys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SameThreadCountGivesTheSameBitsAndOtherCountsOnlyRound(int threads)
    {
        var spec = SmallConv(Padding.Circular);
        var data = NnTestData.Spins(200, 8, 4);
        var options = new TrainerOptions { BatchSize = 25, Epochs = 3, LearningRate = 3e-3, Seed = 9 };
        var a = Trainer.Train(spec, data, null, options with { Threads = threads });
        var b = Trainer.Train(spec, data, null, options with { Threads = threads });
        Assert.Equal(a.Network.Parameters.ToArray(), b.Network.Parameters.ToArray());
        var one = Trainer.Train(spec, data, null, options with { Threads = 1 });
        double error = NnTestData.RelativeError(NnTestData.ToDouble(a.FinalNetwork.Parameters), NnTestData.ToDouble(one.FinalNetwork.Parameters));
        Assert.True(error < 1e-3, $"relative difference {error:E2} between {threads} threads and 1");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ConvTrainingStepsAllocateNothing(int threads)
    {
        var spec = ConvBenchmark.Spec();
        var parameters = Network.Create(spec, 1).Parameters.ToArray();
        var optimizer = new Optimizer(new AdamSettings(), 0, parameters.Length, KernelPaths.Best);
        using var engine = new StepEngine(spec, parameters, optimizer, Loss.MeanSquaredError, threads, 16, KernelPaths.Best);
        var x = NnTestData.Spins(64, 256, 2);
        var rows = Enumerable.Range(0, 64).ToArray();
        for (int i = 0; i < 5; i++) engine.Step(x, x, rows, (i % 4) * 16, 16, 1e-3f);
        long before = engine.AllocatedBytes();
        for (int i = 0; i < 20; i++) engine.Step(x, x, rows, (i % 4) * 16, 16, 1e-3f);
        Assert.Equal(0, engine.AllocatedBytes() - before);
    }

    [Fact]
    public void TrainingATinyConvNetReducesTheLoss()
    {
        // Smooth periodic signals (a few Fourier modes) that a 2-channel stride-2 bottleneck can represent well.
        var random = new Random(3);
        var data = new SampleMatrix<float>(256, 8);
        for (int r = 0; r < data.Rows; r++)
        {
            double a = random.NextDouble() * 2 - 1, phase = random.NextDouble() * 2 * Math.PI;
            for (int j = 0; j < 8; j++) data.Data[r * 8 + j] = (float)(a * Math.Cos(2 * Math.PI * j / 8 + phase));
        }
        var spec = SmallConv(Padding.Circular);
        var result = Trainer.Train(spec, data, null, new TrainerOptions { BatchSize = 32, Epochs = 60, LearningRate = 1e-2, Seed = 1, Threads = 2 });
        double first = result.History[0].TrainLoss, last = result.History[^1].TrainLoss;
        Assert.True(last < 0.3 * first, $"loss {first:G4} -> {last:G4}");
    }

    [Fact]
    public void NetworkFilesAndCheckpointsHoldConvLayers()
    {
        var spec = Mixed();
        var network = NnTestData.RandomNetwork(spec, 8);
        string path = Path.Combine(_temp.Path, "conv.npz");
        network.Save(path);
        var back = Network.Load(path);
        Assert.Equal(spec, back.Spec);
        Assert.Equal(network.Parameters.ToArray(), back.Parameters.ToArray());
        Assert.Equal([4, 2, 3], NpzShape(path, "W1"));
        var x = NnTestData.Uniform(5, spec.InputWidth, 1);
        Assert.Equal(network.Forward(x).Data, back.Forward(x).Data);

        // Training with a checkpoint, then resuming from it, continues bit for bit.
        string checkpoint = Path.Combine(_temp.Path, "checkpoint.npz");
        var conv = SmallConv(Padding.Zero);
        var data = NnTestData.Spins(120, 8, 5);
        var options = new TrainerOptions { BatchSize = 20, Epochs = 3, LearningRate = 3e-3, Seed = 2, CheckpointPath = checkpoint, CheckpointEvery = 5 };
        var whole = Trainer.Train(conv, data, null, options with { CheckpointPath = null });
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => Trainer.Train(conv, data, null, options with { SnapshotSteps = [5], OnSnapshot = _ => cancel.Cancel() }, cancel.Token));
        var resumed = Trainer.Resume(checkpoint, conv, data, null, options);
        Assert.Equal(whole.Network.Parameters.ToArray(), resumed.Network.Parameters.ToArray());
    }

    [Fact]
    public void OldDenseFilesWithoutLayerKindsStillLoad()
    {
        var spec = NetworkSpec.Autoencoder([6, 3]);
        var network = NnTestData.RandomNetwork(spec, 2);
        var header = NetworkFile.Header(spec);
        Assert.True(header.Remove("layers"));
        string path = Path.Combine(_temp.Path, "old.npz");
        NpzArchive.Write(path, JsonOutput.Serialize(header), NetworkFile.Arrays(spec, network.Parameters.ToArray(), ""));
        var back = Network.Load(path);
        Assert.Equal(spec, back.Spec);
        Assert.Equal(network.Parameters.ToArray(), back.Parameters.ToArray());
    }

    [Fact]
    public void BadSpecsAreRefusedWithOneLine()
    {
        AssertOneLine(() => LayerSpec.Conv1d(1, 2, 4, 5, 1, Padding.Circular, Activation.Tanh), "longer than the chain");
        AssertOneLine(() => LayerSpec.Conv1d(1, 2, 10, 3, 4, Padding.Circular, Activation.Tanh), "does not divide");
        AssertOneLine(() => LayerSpec.Conv1d(0, 2, 8, 3, 2, Padding.Circular, Activation.Tanh), "channels");
        AssertOneLine(() => LayerSpec.Conv1d(1, 0, 8, 3, 2, Padding.Circular, Activation.Tanh), "channels");
        AssertOneLine(() => LayerSpec.Conv1d(1, 2, 8, 4, 2, Padding.Circular, Activation.Tanh), "odd");
        AssertOneLine(() => LayerSpec.Conv1d(1, 2, 8, 3, 0, Padding.Circular, Activation.Tanh), "stride");
        AssertOneLine(() => LayerSpec.Conv1d(1, 2, 8, 3, 1, (Padding)7, Activation.Tanh), "padding");
        // The spec checks the chain: channels × sites must match the layer below, and a hand-made layer is checked too.
        AssertOneLine(() => new NetworkSpec(10, [LayerSpec.Conv1d(1, 2, 8, 3, 2, Padding.Circular, Activation.Tanh)], 1, Objective.Supervised), "layer below");
        var bad = LayerSpec.Conv1d(1, 2, 8, 3, 2, Padding.Circular, Activation.Tanh) with { Kernel = 9 };
        AssertOneLine(() => new NetworkSpec(8, [bad], 1, Objective.Supervised), "layer 1");
        AssertOneLine(() => new NetworkSpec(8, [LayerSpec.Conv1d(1, 2, 8, 3, 2, Padding.Circular, Activation.Tanh) with { Width = 9 }], 1, Objective.Supervised), "width 9");
    }

    private static void AssertOneLine(Action action, string contains)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(contains, e.Message, StringComparison.Ordinal);
    }

    private static void AssertReferenceMatchesDifferences(NetworkSpec spec, Loss loss, int seed)
    {
        const double step = 1e-5;
        int rows = 5;
        var parameters = NnTestData.ToDouble(NnTestData.RandomNetwork(spec, seed).Parameters);
        var x = NnTestData.ToDouble(NnTestData.Uniform(rows, spec.InputWidth, seed + 1).Data);
        var t = spec.Objective == Objective.Autoencoder ? x : NnTestData.ToDouble(NnTestData.Uniform(rows, spec.OutputWidth, seed + 2).Data);
        var gradient = new double[parameters.Length];
        ReferenceNetwork.Loss(spec, parameters, x, t, rows, loss, gradient);
        var differences = new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double keep = parameters[i];
            parameters[i] = keep + step;
            double up = ReferenceNetwork.Loss(spec, parameters, x, t, rows, loss);
            parameters[i] = keep - step;
            double down = ReferenceNetwork.Loss(spec, parameters, x, t, rows, loss);
            parameters[i] = keep;
            differences[i] = (up - down) / (2 * step);
        }
        double error = NnTestData.RelativeError(gradient, differences);
        Assert.True(error < 1e-6, $"relative error {error:E2} for {spec.Describe()}");
    }

    private static (double[] Data, long[] Shape) Fixture(string name, string array)
    {
        using var stream = Npy.OpenForReading(Path.Combine(AppContext.BaseDirectory, "Nn", "Fixtures", "conv1d", $"{name}.{array}.npy"));
        return Npy.ReadArray<double>(stream, array);
    }

    private static long[] NpzShape(string path, string name)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(name + ".npy")!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return Npy.ReadArray<float>(copy, name).Shape;
    }

    /// <summary>(batch, channels, sites) → (batch, sites, channels).</summary>
    private static double[] SiteMajor(double[] v, int batch, int channels, int sites)
    {
        var r = new double[v.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int s = 0; s < sites; s++) r[(b * sites + s) * channels + c] = v[(b * channels + c) * sites + s];
        return r;
    }

    private static float[] ToFloat(double[] v) => v.Select(d => (float)d).ToArray();

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (double e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, scale), $"{what}: [{i}] {actual[i]} vs {expected[i]}");
    }
}
