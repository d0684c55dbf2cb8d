using RgLens.Claims;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.Experiments;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Results;
using RgLens.Sampling;

namespace RgLens.Tests.Claims;

/// <summary>The verdict logic on networks whose answer is known.</summary>
public class ClaimEvaluatorTests
{
    private static readonly IsingParameters Theta0 = new(0.8, 0.2);
    private const int N = 32, Seeds = 4;
    private static readonly int[] Compressions = [2, 4, 8];

    /// <summary>A pyramid whose every layer keeps every second unit of the previous one with a large gain: exactly a decimation.</summary>
    internal static Network DecimatingPyramid(int n, int depth)
    {
        var widths = Enumerable.Range(0, depth + 1).Select(l => n >> l).ToArray();
        var spec = NetworkSpec.Autoencoder(widths, Activation.Tanh);
        var weights = new List<float[]>();
        var biases = new List<float[]>();
        for (int l = 1; l <= spec.Depth; l++)
        {
            int inputs = spec.Widths[l - 1], outputs = spec.Widths[l];
            var w = new float[outputs * inputs];
            if (l <= depth)
                for (int o = 0; o < outputs; o++) w[o * inputs + 2 * o] = 4f;
            weights.Add(w);
            biases.Add(new float[outputs]);
        }
        return Network.FromWeights(spec, weights, biases);
    }

    /// <summary>A pyramid of stride-2 convolutions with one channel and kernel 1 and a large gain: site j of layer l copies site 2j of layer l − 1, exactly a decimation.</summary>
    internal static Network DecimatingConvPyramid(int n, int depth)
    {
        var widths = Enumerable.Range(0, depth + 1).Select(l => n >> l).ToArray();
        var spec = NetworkSpec.ConvPyramid(widths, 1, 1, Padding.Circular, Objective.Autoencoder);
        var weights = spec.Layers.Select((layer, i) => i < depth ? new[] { 4f } : new float[layer.OutChannels * layer.InChannels * layer.Kernel]).ToArray();
        var biases = spec.Layers.Select(layer => new float[layer.OutChannels]).ToArray();
        return Network.FromWeights(spec, weights, biases);
    }

    private static RgSide Rg()
    {
        int depth = Compressions.Max() switch { var b => System.Numerics.BitOperations.Log2((uint)b) };
        return new RgSide(RgFlow.Run(Theta0, 2, depth), Compressions.ToDictionary(b => b, b => RgFlow.Decimate(Theta0, b)));
    }

    /// <summary>Reads one network per condition, compression and seed on fresh probe samples per seed.</summary>
    private static ClaimContext Context(Func<string, int, int, Network> network, int probeSamples = 6000)
    {
        var probes = Enumerable.Range(0, Seeds).Select(s => IsingSampler.Sample(new ChainModel(Theta0, N), probeSamples, seed: 100UL + (ulong)s).Convert<float>()).ToArray();
        var runs = new List<NetworkRun>();
        foreach (string condition in new[] { Conditions.Trained, "untrained", "null_data" })
            foreach (int b in Compressions)
                for (int s = 0; s < Seeds; s++)
                {
                    var net = network(condition, b, s);
                    var layers = NetworkProbe.Layers(net, probes[s], [new SignReading()], Boundary.Periodic, replicates: 60, seed: (ulong)(b * 10 + s), orderFree: false);
                    runs.Add(new NetworkRun(condition, Objective.Autoencoder, s, b, net.Spec.Widths.Take(layers.Count + 1).ToArray(), null, layers, []));
                }
        return new ClaimContext(Theta0, Rg(), Compressions, Seeds, 0.1, 0.95, runs);
    }

    private static Network Random(int b, int seed) =>
        Network.Create(NetworkSpec.Autoencoder(Enumerable.Range(0, System.Numerics.BitOperations.Log2((uint)b) + 1).Select(l => N >> l).ToArray(), Activation.Tanh), (ulong)(1000 + 17 * b + seed));

    private static IReadOnlyList<ClaimOutcome> Evaluate(ClaimContext context, params string[] claims) =>
        ClaimEvaluator.Evaluate(context, claims.Select(ClaimRegistry.Get).ToArray(), [Objective.Autoencoder], [new SignReading()], Conditions.Controls);

    [Fact]
    public void AnExactDecimationHoldsOnTheFiniteScaleAndLayerFlowClaimsAndDiffersFromItsControls()
    {
        var context = Context((condition, b, s) => condition == Conditions.Trained
            ? DecimatingPyramid(N, System.Numerics.BitOperations.Log2((uint)b))
            : Random(b, condition == "untrained" ? s : s + 50));
        var outcomes = Evaluate(context, "finite_scale", "layer_flow", "fixed_point_marginal");
        var finite = outcomes.Single(o => o.Claim == "finite_scale");
        Assert.True(finite.Verdict == Verdicts.Holds, finite.Sentence);
        Assert.Equal(3, finite.Trained.Tests.Count);
        Assert.All(finite.Controls, c => Assert.NotEqual(Verdicts.Holds, c.Verdict));
        Assert.Contains(finite.Controls, c => c.Verdict == Verdicts.Fails);
        var flow = outcomes.Single(o => o.Claim == "layer_flow");
        Assert.True(flow.Verdict == Verdicts.Holds, flow.Sentence);
        // The decimated layer is an Ising chain with one field: homogeneity is not rejected, and h is R_8's.
        var marginal = outcomes.Single(o => o.Claim == "fixed_point_marginal");
        Assert.Null(marginal.Trained.Tests[0].Test.HoldsBlockedBecause);
        var h = marginal.Trained.Tests[0].Test.Combined;
        Assert.InRange(RgFlow.Decimate(Theta0, 8)["h"], h.Lower, h.Upper);
    }

    [Fact]
    public void AnExactDecimationByConvolutionReadsTheRgTrajectoryLayerByLayer()
    {
        var context = Context((condition, b, s) => condition == Conditions.Trained
            ? DecimatingConvPyramid(N, System.Numerics.BitOperations.Log2((uint)b))
            : Random(b, s + (condition == "untrained" ? 0 : 50)));
        var outcomes = Evaluate(context, "layer_flow", "finite_scale");
        var flow = outcomes.Single(o => o.Claim == "layer_flow");
        Assert.True(flow.Verdict == Verdicts.Holds, flow.Sentence);
        var finite = outcomes.Single(o => o.Claim == "finite_scale");
        Assert.True(finite.Verdict == Verdicts.Holds, finite.Sentence);
        // Layer by layer, the channel's chain is R_2^l(θ0) within its interval.
        var run = context.Run(Conditions.Trained, Objective.Autoencoder, 8, 0)!;
        for (int l = 1; l <= 3; l++)
        {
            var k = run.Layers[l - 1]["sign"].Coupling;
            double target = RgFlow.Run(Theta0, 2, 3).Steps[l].Parameters["K"];
            Assert.True(Math.Abs(k.Estimate - target) < 4 * k.StandardError + 1e-9, $"layer {l}: K = {k} vs {target}");
        }
    }

    [Fact]
    public void ANaNSeedNeverYieldsHolds()
    {
        var context = Context((condition, b, s) => DecimatingPyramid(N, System.Numerics.BitOperations.Log2((uint)b)), probeSamples: 3000);
        // Replace one seed's feature measurement of every pyramid by a failed fit.
        var runs = context.Runs.Select(r => r.Condition == Conditions.Trained && r.SeedIndex == 1 ? Broken(r) : r).ToArray();
        var broken = context with { Runs = runs };
        var outcome = Evaluate(broken, "finite_scale").Single();
        Assert.NotEqual(Verdicts.Holds, outcome.Verdict);
        Assert.NotEqual(Verdicts.IndistinguishableFromControl, outcome.Verdict);
        Assert.All(outcome.Trained.Tests, t => Assert.Equal(1, t.Test.Combined.FailedFits));
        Assert.Equal(3, outcome.FailedFits);
        Assert.Contains("no finite estimate", outcome.Sentence);
        // Without the broken seed, the same data hold.
        Assert.Equal(Verdicts.IndistinguishableFromControl, Evaluate(context, "finite_scale").Single().Verdict);
    }

    [Fact]
    public void OneSeedCanNeverHold()
    {
        var context = Context((condition, b, s) => DecimatingPyramid(N, System.Numerics.BitOperations.Log2((uint)b)), probeSamples: 3000);
        var single = context with { Seeds = 1, Runs = context.Runs.Where(r => r.SeedIndex == 0).ToArray() };
        var outcome = Evaluate(single, "finite_scale").Single();
        Assert.Equal(Verdicts.Inconclusive, outcome.Verdict);
        Assert.Contains("single seed", outcome.Sentence);
    }

    private static NetworkRun Broken(NetworkRun r)
    {
        var f = r.Feature;
        var bad = f.Readings.Select(m => m with { Coupling = new ParameterEstimate("K", double.NaN, double.NaN, double.NaN, double.NaN) }).ToArray();
        return r with { Layers = [.. r.Layers.Take(r.Layers.Count - 1), f with { Readings = bad }] };
    }
}
