using System.Text.Json.Nodes;
using RgLens.Claims;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Results;

namespace RgLens.Tests.Experiments;

public class CorrespondenceExperimentTests
{
    private static CorrespondenceConfig Tiny(int threads) => TinyExperiment.Config(threads);

    [Fact]
    public void ReadsEveryConditionJudgesEveryClaimAndDoesNotDependOnThreads()
    {
        var one = CorrespondenceExperiment.Run(Tiny(1));
        var two = CorrespondenceExperiment.Run(Tiny(2));
        // 3 conditions × 2 objectives × 2 compressions × 2 seeds.
        Assert.Equal(3 * 2 * 2 * 2, one.Runs.Count);
        Assert.All(one.Runs, r => Assert.Equal(r.Widths.Count - 1, r.Layers.Count));
        Assert.All(one.Runs.Where(r => r.Condition == "untrained"), r => Assert.Null(r.Training));
        Assert.All(one.Runs.Where(r => r.Condition != "untrained"), r => Assert.NotNull(r.Training));
        Assert.All(one.Runs.Where(r => r.Compression == 4 && r.Training is not null), r => Assert.True(r.AlongTraining.Count >= 3, $"{r.AlongTraining.Count} checkpoints"));
        Assert.All(one.Runs.Where(r => r.Compression == 2 || r.Training is null), r => Assert.Empty(r.AlongTraining));
        // The untrained control is the trained network's initialization: same seed, same probe data.
        var trained = one.Runs.First(r => r.Condition == "trained" && r.Compression == 4 && r.Objective == Objective.Autoencoder && r.SeedIndex == 0);
        var initial = one.Runs.First(r => r.Condition == "untrained" && r.Compression == 4 && r.Objective == Objective.Autoencoder && r.SeedIndex == 0);
        Assert.Equal(trained.AlongTraining[0].Feature.Readings[0].Coupling.Estimate, initial.Feature.Readings[0].Coupling.Estimate, 12);
        // 5 claims × 2 objectives × 3 readings; the primary (first objective, first reading) ones first.
        Assert.Equal(5 * 2 * 3, one.Claims.Count);
        Assert.Equal(ClaimRegistry.All.Select(c => c.Id), one.Headline.Select(c => c.Claim));
        Assert.All(one.Headline, c => Assert.Equal((Objective.Autoencoder, "sign"), (c.Objective, c.Reading)));
        Assert.All(one.Claims, c => Assert.Contains(c.Verdict, new[] { Verdicts.Holds, Verdicts.Fails, Verdicts.Inconclusive, Verdicts.IndistinguishableFromControl, Verdicts.NotApplicable }));
        // The continuous reading is compared with "no coupling" only.
        Assert.All(one.Claims.Where(c => c.Reading == "continuous" && c.Claim != "fixed_point_coupling" && c.Claim != "along_training"),
            c => Assert.Equal(Verdicts.NotApplicable, c.Verdict));
        // Controls: the untrained network has no training to follow.
        Assert.All(one.Claims.Where(c => c.Claim == "along_training"), c => Assert.Equal(Verdicts.NotApplicable, c.Control("untrained")!.Verdict));
        Assert.Equal(Strip(CorrespondenceJson.Result(one)), Strip(CorrespondenceJson.Result(two)));
    }

    [Fact]
    public void ConvolutionalPyramidsAreReadChannelByChannelAndDoNotDependOnThreads()
    {
        var conv = Tiny(1) with { Architecture = "conv", Channels = 2, Objectives = [Objective.Autoencoder] };
        var one = CorrespondenceExperiment.Run(conv);
        var two = CorrespondenceExperiment.Run(conv with { Threads = 2 });
        // Feature layer of b = 4 on N = 16: 4 sites × 2 channels, read as two 4-site chains and pooled.
        var feature = one.Runs.First(r => r.Compression == 4 && r.Condition == Conditions.Trained).Feature;
        Assert.Equal(8, feature.Width);
        Assert.Equal(8, feature["sign"].Units);
        Assert.All(one.Headline, c => Assert.NotEqual("", c.Verdict));
        Assert.Equal(Strip(CorrespondenceJson.Result(one)), Strip(CorrespondenceJson.Result(two)));
    }

    [Fact]
    public void RunsOnAGaussianInputWithTheClaimsThatApply()
    {
        var r = CorrespondenceExperiment.Run(Tiny(2) with { Theta0 = new GaussianParameters(2.0, 0.7, 0.3), Objectives = [Objective.Autoencoder] });
        Assert.Equal(0.0, r.Rg.FixedPoint[1]);
        // No reading measures a Gaussian chain's parameters: only the coupling vs 0 and the training trend are tested.
        Assert.All(r.Claims.Where(c => c.Claim is "fixed_point_marginal" or "finite_scale" or "layer_flow"), c => Assert.Equal(Verdicts.NotApplicable, c.Verdict));
        Assert.All(r.Claims.Where(c => c.Claim == "fixed_point_coupling"), c => Assert.Single(c.Trained.Tests));
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
        Assert.Contains("--margin", Assert.Throws<ArgumentException>(() => (ok with { Margin = 0 }).Validate()).Message);
        Assert.Contains("--margin", Assert.Throws<ArgumentException>(() => (ok with { Margin = double.NaN }).Validate()).Message);
        Assert.Contains("placebo", Assert.Throws<ArgumentException>(() => (ok with { Controls = ["placebo"] }).Validate()).Message);
        Assert.Contains("telekinesis", Assert.Throws<ArgumentException>(() => (ok with { Claims = ["telekinesis"] }).Validate()).Message);
        Assert.Contains("oracle", Assert.Throws<ArgumentException>(() => (ok with { TrainingSource = "oracle" }).Validate()).Message);
        Assert.Contains("telepathy", Assert.Throws<ArgumentException>(() => (ok with { Readings = ["sign", "telepathy"] }).Validate()).Message);
        Assert.Equal([0L, 1, 4, 16], CorrespondenceExperiment.SnapshotSteps(16, 4));
    }

    /// <summary>The result without wall times, which are not part of the reproducible output.</summary>
    internal static string Strip(JsonObject result)
    {
        result.Remove("timings");
        foreach (var run in result["networks"]!.AsArray())
            if (run!["training"] is JsonObject training) training.Remove("seconds");
        return JsonOutput.Serialize(result);
    }
}
