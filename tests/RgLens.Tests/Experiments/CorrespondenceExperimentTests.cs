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
        // (a): 2 objectives × 2 readings × (K, h); (b): × 2 compressions; (c): × 2 layers.
        Assert.Equal(8, one.Verdicts.Count(v => v.Kind == "a"));
        Assert.Equal(16, one.Verdicts.Count(v => v.Kind == "b"));
        Assert.Equal(16, one.Verdicts.Count(v => v.Kind == "c"));
        Assert.Equal(4, one.Trends.Count);
        Assert.Equal(4, one.Flows.Count);
        Assert.Equal(Strip(CorrespondenceJson.Result(one)), Strip(CorrespondenceJson.Result(two)));
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
