using System.Text.Json.Nodes;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Tests.Experiments;

public class CorrespondenceExperimentTests
{
    private static CorrespondenceConfig Tiny(int threads) => TinyExperiment.Config(threads);

    [Fact]
    public void ProducesEveryComparisonAndDoesNotDependOnThreads()
    {
        var one = CorrespondenceExperiment.Run(Tiny(1));
        var two = CorrespondenceExperiment.Run(Tiny(2));
        Assert.Equal(2 * 2 * 2, one.Runs.Count);
        Assert.All(one.Runs, r => Assert.Equal(r.Widths.Count - 1, r.Layers.Count));
        Assert.All(one.Runs.Where(r => r.Compression == 4), r => Assert.Equal(4, r.AlongTraining.Count));
        Assert.All(one.Runs.Where(r => r.Compression == 2), r => Assert.Empty(r.AlongTraining));
        foreach (string kind in new[] { "a", "b", "c" }) Assert.Contains(one.Verdicts, v => v.Kind == kind);
        // (a): 2 objectives × (2 binary readings × (K, h) + the continuous reading's K vs 0);
        // (b), (c): 2 objectives × 2 binary readings × (K, h) × 2 compressions or layers (the continuous
        // reading fits another family than the Ising input, so only its K is compared, with K* = 0).
        Assert.Equal(10, one.Verdicts.Count(v => v.Kind == "a"));
        Assert.Equal(16, one.Verdicts.Count(v => v.Kind == "b"));
        Assert.Equal(16, one.Verdicts.Count(v => v.Kind == "c"));
        Assert.All(one.Verdicts.Where(v => v.Reading == LayerReading.Continuous), v => Assert.Equal(("a", "K", 0.0), (v.Kind, v.Parameter, v.Verdict.Target)));
        Assert.Equal(6, one.Trends.Count);
        Assert.Equal(6, one.Flows.Count);
        Assert.Equal(Strip(CorrespondenceJson.Result(one)), Strip(CorrespondenceJson.Result(two)));
    }

    [Fact]
    public void RunsUnchangedOnAGaussianInput()
    {
        var r = CorrespondenceExperiment.Run(Tiny(2) with { Theta0 = new GaussianParameters(2.0, 0.7, 0.3), Objectives = [Objective.Autoencoder] });
        // The continuous reading fits the input's family: every parameter is compared in (a), (b), (c).
        var continuous = r.Verdicts.Where(v => v.Reading == LayerReading.Continuous).ToArray();
        Assert.Equal(new[] { "a", "K", "h" }, continuous.Where(v => v.Kind == "a").Select(v => v.Parameter));
        Assert.Equal(3 * 2, continuous.Count(v => v.Kind == "b"));
        Assert.Equal(3 * 2, continuous.Count(v => v.Kind == "c"));
        // The binary readings fit Ising chains: only their K against K* = 0.
        Assert.All(r.Verdicts.Where(v => v.Reading != LayerReading.Continuous), v => Assert.Equal(("a", "K"), (v.Kind, v.Parameter)));
        Assert.Equal(0.0, r.Rg.FixedPoint[1]);
    }

    [Fact]
    public void TheContinuousReadingFitsTheInputsFamilyWhenItsSupportIsTheRealLine()
    {
        var phi4 = Tiny(2) with { Theta0 = new Phi4Parameters(-1.0, 0.5, 0.4, 0.0), Objectives = [Objective.Autoencoder], Compressions = [2], Readings = [LayerReading.Continuous] };
        Assert.Same(Phi4Family.Instance, phi4.ReadingFamily(LayerReading.Continuous));
        Assert.Same(GaussianFamily.Instance, (phi4 with { Theta0 = new PoissonParameters(3.0, -0.2) }).ReadingFamily(LayerReading.Continuous));
        Assert.Same(IsingFamily.Instance, phi4.ReadingFamily(LayerReading.Sign));
        var r = CorrespondenceExperiment.Run(phi4);
        Assert.Equal(new[] { "a", "lambda", "K", "h" }, r.Verdicts.Where(v => v.Kind == "a").Select(v => v.Parameter));
        Assert.All(r.Runs, run => Assert.Same(Phi4Family.Instance, run.Feature.Readings[0].Family));
    }

    [Fact]
    public void BadConfigurationsAreRefusedWithOneLine()
    {
        var ok = Tiny(1);
        Assert.Contains("does not divide", Assert.Throws<ArgumentException>(() => (ok with { Length = 12, Compressions = [8] }).Validate()).Message);
        Assert.Contains("powers of 2", Assert.Throws<ArgumentException>(() => (ok with { Compressions = [3] }).Validate()).Message);
        Assert.Contains("feature layer of 1", Assert.Throws<ArgumentException>(() => (ok with { Compressions = [16] }).Validate()).Message);
        Assert.Contains(">= 2", Assert.Throws<ArgumentException>(() => (ok with { Compressions = [1] }).Validate()).Message);
        Assert.Throws<ModelDomainException>(() => (ok with { Theta0 = new IsingParameters(double.NaN, 0) }).Validate());
        Assert.Contains("objective", Assert.Throws<ArgumentException>(() => (ok with { Objectives = [] }).Validate()).Message);
        Assert.Equal([0L, 1, 4, 16], CorrespondenceExperiment.SnapshotSteps(16, 4));
    }

    /// <summary>The result without wall times, which are not part of the reproducible output.</summary>
    private static string Strip(JsonObject result)
    {
        result.Remove("timings");
        foreach (var run in result["networks"]!.AsArray())
        {
            var training = run!["training"]!.AsObject();
            training.Remove("seconds");
        }
        return JsonOutput.Serialize(result);
    }
}
