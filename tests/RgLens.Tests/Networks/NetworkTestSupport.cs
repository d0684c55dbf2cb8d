using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RgLens.Data;
using RgLens.Networks;
using RgLens.Nn;

namespace RgLens.Tests.Networks;

internal static class NetworkTestSupport
{
    /// <summary>
    /// A worst-case bound on |ONNX Runtime − Network.Forward| for a float32 network on inputs
    /// bounded by <paramref name="inputBound"/>: the two engines sum each unit's fan-in + 1 terms in
    /// different orders (fan-in n_{l−1} for a dense layer, k · C_in for a convolution, whose
    /// upsampling and padding only copy or zero values), each sum off by at most γ_n · Σ|w·z| + |c|
    /// with γ_n = n·ε/(1 − n·ε); the error of z_{l−1} is amplified by the largest absolute row sum
    /// of W_l (a dense row, or a convolution's out-channel filter; tanh, sigmoid, relu are
    /// 1-Lipschitz); and the activations themselves may differ by a few ulps (4ε).
    /// </summary>
    public static double Float32Bound(Network network, double inputBound)
    {
        const double Eps = 5.96e-8; // 2^-24, float32's unit round-off
        double error = 0, bound = inputBound;
        for (int l = 1; l <= network.Depth; l++)
        {
            var layer = network.Spec.Layers[l - 1];
            bool conv = layer.Kind == LayerKind.Conv1d;
            int rows = conv ? layer.OutChannels : network.Spec.Widths[l], fanIn = conv ? layer.Kernel * layer.InChannels : network.Spec.Widths[l - 1];
            int n = fanIn + 1;
            float[] w = network.GetWeights(l), c = network.GetBiases(l);
            Assert.Equal(rows * fanIn, w.Length);
            double rowSum = 0, maxBias = c.Length == 0 ? 0 : c.Max(Math.Abs);
            for (int o = 0; o < rows; o++) rowSum = Math.Max(rowSum, Enumerable.Range(0, fanIn).Sum(i => Math.Abs(w[o * fanIn + i])));
            double gamma = n * Eps / (1 - n * Eps);
            double pre = rowSum * bound + maxBias;
            error = rowSum * error + gamma * pre + 4 * Eps * Math.Max(1, pre);
            bound = network.Spec.Layers[l - 1].Activation == Activation.Identity || network.Spec.Layers[l - 1].Activation == Activation.Relu ? pre : 1;
        }
        return error;
    }

    /// <summary>
    /// <see cref="AssertExportMatchesEngine"/> for a random network of <paramref name="spec"/> (weights
    /// uniform in ±0.7) on uniform inputs in [−1, 1], at the tolerance <see cref="Float32Bound"/>, which must
    /// not exceed <paramref name="maxTolerance"/> (so that a wrong layer cannot hide within it).
    /// </summary>
    public static (Network Net, NetworkOutputs Run) AssertRandomExportMatchesEngine(NetworkSpec spec, int seed, int samples, double maxTolerance, string what)
    {
        var net = Nn.NnTestData.RandomNetwork(spec, seed);
        var x = Nn.NnTestData.Uniform(samples, spec.InputWidth, seed: seed + 1);
        double tol = Float32Bound(net, 1);
        Assert.InRange(tol, 1e-9, maxTolerance);
        return (net, AssertExportMatchesEngine(net, x, tol, what));
    }

    /// <summary>
    /// Exports <paramref name="net"/> and runs the bytes in ONNX Runtime twice — a bare session, and
    /// through <see cref="NetworkSources"/> on a file with every hidden layer's <c>layer{l}.pre</c> and
    /// <c>layer{l}.act</c> — asserting that the output and every layer equal the engine's
    /// (<c>Network.Observe</c>) within <paramref name="tolerance"/>. Returns the source's outputs.
    /// </summary>
    public static NetworkOutputs AssertExportMatchesEngine(Network net, SampleMatrix<float> x, double tolerance, string what)
    {
        byte[] bytes = OnnxExport.ToBytes(net);
        using (var session = new InferenceSession(bytes))
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x.Data, [x.Rows, x.Columns]))]);
            float[] onnx = results.Single().AsTensor<float>().ToArray();
            AssertClose(net.Forward(x), new(onnx, x.Rows, net.Spec.OutputWidth), tolerance, $"{what}: output");
        }
        using var dir = new TempDirectory();
        string path = dir.File("model.onnx");
        File.WriteAllBytes(path, bytes);
        var observed = net.Observe(x);
        string[] names = Enumerable.Range(1, net.Depth - 1).SelectMany(l => new[] { NpzNetworkSource.PreName(l), NpzNetworkSource.ActName(l) }).ToArray();
        using var source = NetworkSources.Open(path, names);
        Assert.Equal(NetworkFormat.Onnx, source.Format);
        Assert.Equal(net.Spec.InputWidth, source.InputWidth);
        var run = source.Run(x);
        Assert.Equal(names, run.Layers.Select(l => l.Name));
        for (int l = 1; l < net.Depth; l++)
        {
            AssertClose(observed.PreActivations(l), run[NpzNetworkSource.PreName(l)].Values, tolerance, $"{what}: layer {l} pre-activations");
            AssertClose(observed.Activations(l), run[NpzNetworkSource.ActName(l)].Values, tolerance, $"{what}: layer {l} activations");
            Assert.Equal([(long)x.Rows, net.Spec.Widths[l]], run[NpzNetworkSource.ActName(l)].Shape);
        }
        AssertClose(observed.Output, run.Output.Values, tolerance, $"{what}: output via the source");
        return run;
    }

    /// <summary>Runs scripts/<paramref name="script"/> OUT_DIR with the system's Python (CI installs python3-torch and python3-numpy); fails with its standard error.</summary>
    public static void RunPythonScript(string script, string outDir)
    {
        string path = Path.Combine(Architecture.NamespaceLayeringTests.RepositoryRoot(), "scripts", script);
        using var python = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [path, outDir])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        string stderr = python.StandardError.ReadToEnd();
        stdout.Wait();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"{script} failed (python3-torch and python3-numpy are needed): {stderr}");
    }

    public static void AssertClose(SampleMatrix<float> expected, SampleMatrix<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Columns, actual.Columns);
        double worst = 0;
        for (int i = 0; i < expected.Data.Length; i++) worst = Math.Max(worst, Math.Abs(expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= tolerance, $"{what}: max |difference| {worst:G3} > tolerance {tolerance:G3}");
    }
}
