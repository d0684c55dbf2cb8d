using RgLens.Nn;
using RgLens.Numerics;

namespace RgLens.Tests.Nn;

public class GradientCheckTests
{
    /// <summary>The bound for the float64 path against central differences.</summary>
    private const double FiniteDifferenceTolerance = 1e-6;

    /// <summary>Central-difference step: truncation O(h²) ≈ 1e-10 and round-off ε/h ≈ 1e-11, both far below the tolerance.</summary>
    private const double Step = 1e-5;

    /// <summary>
    /// float32 engine against the float64 path: float32 rounding (6e-8) accumulated over sums of
    /// up to ~10² terms through three layers; measured errors are around 1e-6.
    /// </summary>
    private const double Float32Tolerance = 1e-4;

    [Theory]
    [MemberData(nameof(NnTestData.ActivationLossCases), MemberType = typeof(NnTestData))]
    public void ReferenceGradientMatchesCentralDifferences(string hidden, string loss, string output)
    {
        var spec = NnTestData.SmallSpec(NnNames.ParseActivation(hidden), NnNames.ParseActivation(output));
        AssertGradientMatchesDifferences(spec, NnNames.ParseLoss(loss), seed: hidden.Length * 7 + output.Length);
    }

    [Fact]
    public void ReferenceGradientWithoutBiasesMatchesCentralDifferences() =>
        AssertGradientMatchesDifferences(NnTestData.SmallSpec(Activation.Tanh, Activation.Identity, bias: false), Loss.MeanSquaredError, seed: 3);

    [Theory]
    [MemberData(nameof(NnTestData.ActivationLossCases), MemberType = typeof(NnTestData))]
    public void Float32EngineMatchesTheFloat64Path(string hidden, string loss, string output)
    {
        var spec = NnTestData.SmallSpec(NnNames.ParseActivation(hidden), NnNames.ParseActivation(output));
        var lossKind = NnNames.ParseLoss(loss);
        foreach (int threads in new[] { 1, 2, 3 })
            foreach (var path in new[] { KernelPaths.Best, KernelPath.Scalar })
                AssertEngineMatchesReference(spec, lossKind, threads, path, rows: 11);
    }

    [Fact]
    public void Float32EngineMatchesTheFloat64PathOnWideLayers()
    {
        // Tile remainders in every GEMM of the step: widths 37 and 19, 45 rows over 2 threads.
        var spec = new NetworkSpec(37, [new LayerSpec(19, Activation.Tanh), new LayerSpec(37, Activation.Identity)], 1, Objective.Autoencoder);
        AssertEngineMatchesReference(spec, Loss.MeanSquaredError, threads: 2, KernelPaths.Best, rows: 45);
    }

    private static void AssertGradientMatchesDifferences(NetworkSpec spec, Loss loss, int seed)
    {
        int rows = 7;
        var parameters = NnTestData.ToDouble(NnTestData.RandomNetwork(spec, seed).Parameters);
        var x = NnTestData.ToDouble(NnTestData.Uniform(rows, spec.InputWidth, seed + 1).Data);
        var t = NnTestData.ToDouble(NnTestData.Targets(loss, rows, spec.OutputWidth, seed + 2).Data);
        var gradient = new double[parameters.Length];
        ReferenceNetwork.Loss(spec, parameters, x, t, rows, loss, gradient);
        var differences = new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double keep = parameters[i];
            parameters[i] = keep + Step;
            double up = ReferenceNetwork.Loss(spec, parameters, x, t, rows, loss);
            parameters[i] = keep - Step;
            double down = ReferenceNetwork.Loss(spec, parameters, x, t, rows, loss);
            parameters[i] = keep;
            differences[i] = (up - down) / (2 * Step);
        }
        double error = NnTestData.RelativeError(gradient, differences);
        Assert.True(error < FiniteDifferenceTolerance, $"relative error {error:E2} for {spec.Describe()}, {loss}");
    }

    private static void AssertEngineMatchesReference(NetworkSpec spec, Loss loss, int threads, KernelPath path, int rows)
    {
        var network = NnTestData.RandomNetwork(spec, 5);
        var x = NnTestData.Uniform(rows, spec.InputWidth, 6);
        var t = spec.Objective == Objective.Autoencoder ? x : NnTestData.Targets(loss, rows, spec.OutputWidth, 7);
        var parameters = network.Parameters.ToArray();
        using var engine = new StepEngine(spec, parameters, null, loss, threads, rows, path);
        var gradient32 = new float[parameters.Length];
        double loss32 = engine.Gradient(x, t, Enumerable.Range(0, rows).ToArray(), 0, rows, gradient32);
        var gradient64 = new double[parameters.Length];
        double loss64 = ReferenceNetwork.Loss(spec, NnTestData.ToDouble(parameters), NnTestData.ToDouble(x.Data), NnTestData.ToDouble(t.Data), rows, loss, gradient64);
        Assert.True(Math.Abs(loss32 - loss64) <= Float32Tolerance * Math.Abs(loss64), $"loss {loss32} vs {loss64} ({threads} threads, {path})");
        double error = NnTestData.RelativeError(NnTestData.ToDouble(gradient32), gradient64);
        Assert.True(error < Float32Tolerance, $"gradient relative error {error:E2} ({spec.Describe()}, {loss}, {threads} threads, {path})");
    }
}
