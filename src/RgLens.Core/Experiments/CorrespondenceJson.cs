using System.Text.Json.Nodes;
using RgLens.Claims;
using RgLens.Comparison;
using RgLens.Estimation;
using RgLens.IO;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Results;

namespace RgLens.Experiments;

/// <summary>
/// The JSON form of a <see cref="CorrespondenceResult"/> (the "results" of run.json): the claims
/// first, then every number behind them. Names are snake_case; non-finite numbers follow
/// <see cref="JsonOutput"/>.
/// </summary>
public static class CorrespondenceJson
{
    /// <summary>The configuration as JSON.</summary>
    public static JsonObject Config(CorrespondenceConfig c) => new()
    {
        ["model"] = c.Theta0.Family.Name,
        ["theta0"] = Parameters(c.Theta0),
        ["N"] = c.Length,
        ["boundary"] = Name(c.Boundary),
        ["objectives"] = Strings(c.Objectives.Select(NnNames.Name)),
        ["architecture"] = c.Architecture,
        ["channels"] = c.Architecture == "conv" ? c.Channels : null,
        ["kernel"] = c.Architecture == "conv" ? c.Kernel : null,
        ["seeds"] = c.Seeds,
        ["compressions"] = new JsonArray(c.Compressions.Select(b => (JsonNode?)b).ToArray()),
        ["readings"] = Strings(c.Readings),
        ["controls"] = Strings(c.Controls),
        ["claims"] = Strings(c.Claims),
        ["margin"] = c.Margin,
        ["training_source"] = c.EffectiveTrainingSource,
        ["data"] = c.UserFit is { } u ? new JsonObject
        {
            ["path"] = u.Path,
            ["samples"] = c.UserData!.Rows,
            ["probe_samples_held_out"] = c.EffectiveProbeSamples,
            ["theta0_fit"] = Estimates(u.Fit.Estimates),
            ["correlations"] = Correlations(u.Correlations),
            ["warnings"] = Strings(u.Warnings),
        } : null,
        ["train_samples"] = c.TrainSamples,
        ["probe_samples"] = c.ProbeSamples,
        ["activation"] = NnNames.Name(c.Activation),
        ["epochs"] = c.Epochs,
        ["patience"] = c.Patience,
        ["min_relative_improvement"] = c.MinRelativeImprovement,
        ["learning_rate"] = c.LearningRate,
        ["batch_size"] = c.BatchSize,
        ["training_checkpoints"] = c.TrainingCheckpoints,
        ["bootstrap_replicates"] = c.BootstrapReplicates,
        ["confidence_level"] = c.ConfidenceLevel,
        ["supervised_spread"] = JsonOutput.Numbers(c.SupervisedSpread ?? SupervisedDataset.DefaultSpread(c.Theta0)),
        ["seed"] = c.Seed,
        ["threads"] = c.Threads,
    };

    /// <summary>The result as JSON: the claims first, then the RG side, then every network.</summary>
    public static JsonObject Result(CorrespondenceResult r) => new()
    {
        ["claims"] = new JsonArray(r.Claims.Select(c => (JsonNode?)Claim(c)).ToArray()),
        ["rg"] = Rg(r),
        ["networks"] = new JsonArray(r.Runs.Select(n => (JsonNode?)Run(n)).ToArray()),
        ["kernel_path"] = r.KernelPath,
        ["timings"] = new JsonObject(r.Timings.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))),
    };

    /// <summary>One claim: the verdict, the deciding comparison, the controls and every comparison.</summary>
    public static JsonObject Claim(ClaimOutcome c)
    {
        var d = c.Trained.Deciding;
        var o = new JsonObject
        {
            ["id"] = c.Claim,
            ["objective"] = NnNames.Name(c.Objective),
            ["reading"] = c.Reading,
            ["primary"] = c.Primary,
            ["statement"] = c.Statement,
            ["verdict"] = c.Verdict,
            ["sentence"] = c.Sentence,
            ["comparison"] = d?.Test.Label,
            ["target"] = d is null ? null : JsonOutput.Number(d.Test.Target),
            ["estimate"] = d is null ? null : JsonOutput.Number(d.Test.Combined.Estimate),
            ["ci"] = d is null ? null : JsonOutput.Numbers([d.Test.Combined.Lower, d.Test.Combined.Upper]),
            ["test_ci"] = d is null ? null : JsonOutput.Numbers([d.Test.TestInterval.Lower, d.Test.TestInterval.Upper]),
            ["margin"] = d is null ? null : JsonOutput.Number(d.Test.Margin),
            ["test"] = d is null ? null : d.Test.Kind == TestKind.Equivalence ? "equivalence" : "below",
            ["target_se"] = d is null ? null : JsonOutput.Number(d.Test.TargetStandardError),
            ["p"] = d is null ? null : JsonOutput.Number(d.PEquivalence),
            ["p_holm"] = d is null ? null : JsonOutput.Number(d.PEquivalenceHolm),
            ["p_difference"] = d is null ? null : JsonOutput.Number(d.PDifference),
            ["p_difference_holm"] = d is null ? null : JsonOutput.Number(d.PDifferenceHolm),
            ["degrees_of_freedom"] = d is null ? null : JsonOutput.Number(d.Test.Combined.DegreesOfFreedom),
            ["holds_blocked_because"] = d?.Test.HoldsBlockedBecause,
            ["not_applicable_because"] = c.Trained.NotApplicableBecause,
            ["controls"] = new JsonObject(c.Controls.Select(k => KeyValuePair.Create(k.Condition, (JsonNode?)ControlJson(k, c.Trained)))),
            ["seeds"] = c.Seeds,
            ["failed_fits"] = c.FailedFits,
            ["converged"] = c.Converged,
            ["networks"] = c.Networks,
            ["tests"] = new JsonArray(c.Trained.Tests.Select(t => (JsonNode?)Test(t)).ToArray()),
        };
        return o;
    }

    /// <summary><c>probe --model</c>: θ0 fitted to the data, its RG targets and every layer's comparison with them.</summary>
    public static JsonObject ProbeComparison(ProbeRgComparison c) => new()
    {
        ["model"] = c.Theta0.Family.Name,
        ["theta0_fit"] = Estimates(c.Fit.Fit.Estimates),
        ["correlations"] = Correlations(c.Fit.Correlations),
        ["warnings"] = Strings(c.Fit.Warnings),
        ["fixed_point"] = Parameters(c.FixedPoint),
        ["fixed_point_se"] = new JsonObject(c.Uncertainty.FixedPoint.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonOutput.Number(p.Value)))),
        ["by_compression"] = new JsonArray(c.ByCompression.OrderBy(p => p.Key).Select(p => (JsonNode?)With(new JsonObject
        {
            ["b"] = p.Key,
            ["K_se"] = JsonOutput.Number(c.Uncertainty.CouplingByCompression.GetValueOrDefault(p.Key)),
        }, Parameters(p.Value))).ToArray()),
        ["target_draws"] = c.Uncertainty.Draws,
        ["margin"] = c.Margin,
        ["confidence_level"] = c.ConfidenceLevel,
        ["scope"] = "this network: the readings' within-network errors only (the variance between initializations is unknown; correspond measures it)",
        ["multiple_comparisons"] = "Holm over every comparison of the probe (equivalence and difference p-values separately); the null-input control unadjusted",
        ["null_input"] = c.NullInput,
        ["comparisons"] = new JsonArray(c.Comparisons.Select(x => (JsonNode?)new JsonObject
        {
            ["layer"] = x.Layer,
            ["units"] = x.Units,
            ["reading"] = x.Reading,
            ["claim"] = x.Claim,
            ["verdict"] = x.Verdict,
            ["data"] = Test(x.Trained),
            ["null_input"] = Test(x.NullInput),
        }).ToArray()),
    };

    /// <summary>The goodness-of-fit of θ0: predicted against measured correlations per distance.</summary>
    private static JsonArray Correlations(IEnumerable<CorrelationCheck> checks) => new(checks.Select(k => (JsonNode?)new JsonObject
    {
        ["distance"] = k.Distance,
        ["measured"] = JsonOutput.Number(k.Measured),
        ["se"] = JsonOutput.Number(k.StandardError),
        ["predicted"] = JsonOutput.Number(k.Predicted),
        ["z"] = JsonOutput.Number(k.Z),
    }).ToArray());

    private static JsonObject ControlJson(ConditionOutcome k, ConditionOutcome trained)
    {
        var d = trained.Deciding;
        int i = d is null ? -1 : trained.Tests.ToList().IndexOf(d);
        var t = i >= 0 && i < k.Tests.Count ? k.Tests[i] : null;
        return new JsonObject
        {
            ["estimate"] = t is null ? null : JsonOutput.Number(t.Test.Combined.Estimate),
            ["ci"] = t is null ? null : JsonOutput.Numbers([t.Test.Combined.Lower, t.Test.Combined.Upper]),
            ["test_ci"] = t is null ? null : JsonOutput.Numbers([t.Test.TestInterval.Lower, t.Test.TestInterval.Upper]),
            ["verdict"] = k.Verdict,
            ["not_applicable_because"] = k.NotApplicableBecause,
            ["tests"] = new JsonArray(k.Tests.Select(x => (JsonNode?)Test(x)).ToArray()),
        };
    }

    private static JsonObject Test(TestOutcome t) => new()
    {
        ["comparison"] = t.Test.Label,
        ["quantity"] = t.Test.Quantity,
        ["compression"] = t.Test.Compression,
        ["layer"] = t.Test.Layer,
        ["target"] = JsonOutput.Number(t.Test.Target),
        ["estimate"] = JsonOutput.Number(t.Test.Combined.Estimate),
        ["se"] = JsonOutput.Number(t.Test.Combined.StandardError),
        ["ci"] = JsonOutput.Numbers([t.Test.Combined.Lower, t.Test.Combined.Upper]),
        ["test_ci"] = JsonOutput.Numbers([t.Test.TestInterval.Lower, t.Test.TestInterval.Upper]),
        ["degrees_of_freedom"] = JsonOutput.Number(t.Test.Combined.DegreesOfFreedom),
        ["between_seed_variance"] = JsonOutput.Number(t.Test.Combined.BetweenSeedVariance),
        ["per_seed"] = JsonOutput.Numbers(t.Test.Combined.PerSeed),
        ["seeds"] = t.Test.Combined.Seeds,
        ["failed_fits"] = t.Test.Combined.FailedFits,
        ["p"] = JsonOutput.Number(t.PEquivalence),
        ["p_holm"] = JsonOutput.Number(t.PEquivalenceHolm),
        ["p_difference"] = JsonOutput.Number(t.PDifference),
        ["p_difference_holm"] = JsonOutput.Number(t.PDifferenceHolm),
        ["holds_blocked_because"] = t.Test.HoldsBlockedBecause,
        ["verdict"] = t.Verdict,
    };

    private static JsonObject Rg(CorrespondenceResult r) => new()
    {
        // The same shape as `rglens rg --json`: each step's parameters by name beside step, g and the residual.
        ["flow_b2"] = new JsonArray(r.Rg.Flow.Steps.Select(s => (JsonNode?)With(new JsonObject { ["step"] = s.Step }, Parameters(s.Parameters), new JsonObject
        {
            ["g"] = JsonOutput.Number(s.LogScale),
            ["projection_residual"] = JsonOutput.Number(s.ProjectionResidual),
        })).ToArray()),
        ["by_compression"] = new JsonArray(r.Rg.ByCompression.OrderBy(p => p.Key).Select(p => (JsonNode?)With(new JsonObject { ["b"] = p.Key }, Parameters(p.Value))).ToArray()),
        ["fixed_point"] = FixedPoint(r.Rg.Flow.FixedPoint),
        ["unstable_fixed_points"] = new JsonArray(r.Rg.Flow.UnstableFixedPoints.Select(f => (JsonNode?)FixedPoint(f)).ToArray()),
    };

    private static JsonObject With(JsonObject first, params JsonObject[] rest)
    {
        foreach (var o in rest)
            foreach (var (key, value) in o.ToArray())
            {
                o.Remove(key);
                first[key] = value;
            }
        return first;
    }

    private static JsonObject FixedPoint(FixedPointReport f)
    {
        var o = new JsonObject();
        for (int i = 0; i < f.Names.Count; i++) o[f.Names[i]] = JsonOutput.Number(f.Values[i]);
        o["stable"] = f.Stable;
        o["eigenvalues"] = JsonOutput.Numbers(f.Eigenvalues);
        o["classification"] = f.Classification;
        return o;
    }

    private static JsonObject Run(NetworkRun n) => new()
    {
        ["condition"] = n.Condition,
        ["objective"] = NnNames.Name(n.Objective),
        ["seed_index"] = n.SeedIndex,
        ["compression"] = n.Compression,
        ["widths"] = new JsonArray(n.Widths.Select(w => (JsonNode?)w).ToArray()),
        ["training"] = n.Training is null ? null : new JsonObject
        {
            ["epochs"] = n.Training.Epochs,
            ["best_epoch"] = n.Training.BestEpoch,
            ["best_validation_loss"] = JsonOutput.Number(n.Training.BestValidationLoss),
            ["stop_reason"] = n.Training.StopReason.ToString(),
            ["converged"] = n.Training.Converged,
            ["steps"] = n.Training.Steps,
            ["seconds"] = Math.Round(n.Training.Seconds, 3),
            ["loss_curve"] = new JsonArray(n.Training.History.Select(e => (JsonNode?)new JsonObject
            {
                ["epoch"] = e.Epoch,
                ["step"] = e.Step,
                ["train_loss"] = JsonOutput.Number(e.TrainLoss),
                ["validation_loss"] = JsonOutput.Number(e.ValidationLoss),
            }).ToArray()),
        },
        ["layers"] = new JsonArray(n.Layers.Select(l => (JsonNode?)Layer(l, gauge: true)).ToArray()),
        ["along_training"] = new JsonArray(n.AlongTraining.Select(c => (JsonNode?)new JsonObject
        {
            ["step"] = c.Step,
            ["epoch"] = c.Epoch,
            ["probe_loss"] = JsonOutput.Number(c.ProbeLoss),
            ["feature"] = Layer(c.Feature, gauge: false),
        }).ToArray()),
    };

    private static JsonObject Layer(LayerMeasurement l, bool gauge) => new()
    {
        ["layer"] = l.Layer,
        ["width"] = l.Width,
        ["gauge"] = gauge ? new JsonObject
        {
            ["order"] = new JsonArray(l.Gauge.Order.Select(v => (JsonNode?)v).ToArray()),
            ["signs"] = new JsonArray(l.Gauge.Signs.Select(v => (JsonNode?)v).ToArray()),
            ["centroids"] = JsonOutput.Numbers(l.Gauge.Centroids.Select(c => Math.Round(c, 6))),
        } : null,
        ["readings"] = new JsonArray(l.Readings.Select(m => (JsonNode?)Measurement(m)).ToArray()),
    };

    /// <summary>One reading of one layer as JSON.</summary>
    public static JsonObject Measurement(ReadingMeasurement m) => new()
    {
        ["reading"] = m.Reading,
        ["units"] = m.Units,
        ["coupling"] = Estimate(m.Coupling),
        ["field"] = m.Field is null ? null : Estimate(m.Field),
        ["homogeneous_coupling"] = m.HomogeneousCoupling is null ? null : Estimate(m.HomogeneousCoupling),
        ["homogeneity_lr"] = m.HomogeneityStatistic is double lr ? JsonOutput.Number(lr) : null,
        ["homogeneity_df"] = m.HomogeneityDegreesOfFreedom,
        ["homogeneity_p"] = m.HomogeneityP is double p ? JsonOutput.Number(p) : null,
        ["unit_means"] = JsonOutput.Numbers(m.UnitMeans),
        ["unit_fields"] = m.UnitFields is null ? null : JsonOutput.Numbers(m.UnitFields),
        ["multi_information"] = JsonOutput.Number(m.MultiInformation),
        ["max_abs_coupling"] = m.MaxAbsCoupling is double j ? JsonOutput.Number(j) : null,
        ["warnings"] = Strings(m.Warnings),
        ["channels"] = m.Channels is null ? null : new JsonArray(m.Channels.Select((c, i) => (JsonNode?)new JsonObject
        {
            ["channel"] = i,
            ["units"] = c.Units,
            ["coupling"] = Estimate(c.Coupling),
            ["field"] = c.Field is null ? null : Estimate(c.Field),
            ["homogeneity_p"] = c.HomogeneityP is double cp ? JsonOutput.Number(cp) : null,
            ["multi_information"] = JsonOutput.Number(c.MultiInformation),
            ["warnings"] = Strings(c.Warnings),
        }).ToArray()),
    };

    private static JsonObject Estimates(IEnumerable<ParameterEstimate> estimates)
    {
        var o = new JsonObject();
        foreach (var e in estimates) o[e.Name] = Estimate(e);
        return o;
    }

    private static JsonObject Estimate(ParameterEstimate e) => new()
    {
        ["estimate"] = JsonOutput.Number(e.Estimate),
        ["ci"] = JsonOutput.Numbers([e.Lower, e.Upper]),
        ["se"] = JsonOutput.Number(e.StandardError),
    };

    private static JsonObject Parameters(ChainParameters p)
    {
        var o = new JsonObject();
        double[] v = p.Values();
        for (int i = 0; i < v.Length; i++) o[p.Family.Parameters[i].Name] = JsonOutput.Number(v[i]);
        return o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string Name(Boundary b) => b.ToString().ToLowerInvariant();
}
