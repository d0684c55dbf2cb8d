using System.Text.Json.Nodes;
using RgLens.Comparison;
using RgLens.Estimation;
using RgLens.IO;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Renormalization;

namespace RgLens.Experiments;

/// <summary>
/// The JSON form of a <see cref="CorrespondenceResult"/> (the "results" of run.json): every
/// parameter, every number, every verdict. Names are snake_case; non-finite numbers follow
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
        ["seeds"] = c.Seeds,
        ["compressions"] = new JsonArray(c.Compressions.Select(b => (JsonNode?)b).ToArray()),
        ["readings"] = Strings(c.Readings.Select(Name)),
        ["train_samples"] = c.TrainSamples,
        ["probe_samples"] = c.ProbeSamples,
        ["activation"] = NnNames.Name(c.Activation),
        ["epochs"] = c.Epochs,
        ["patience"] = c.Patience,
        ["learning_rate"] = c.LearningRate,
        ["batch_size"] = c.BatchSize,
        ["training_checkpoints"] = c.TrainingCheckpoints,
        ["bootstrap_replicates"] = c.BootstrapReplicates,
        ["confidence_level"] = c.ConfidenceLevel,
        ["supervised_spread"] = JsonOutput.Numbers(c.SupervisedSpread ?? SupervisedDataset.DefaultSpread(c.Theta0)),
        ["seed"] = c.Seed,
        ["threads"] = c.Threads,
    };

    /// <summary>The result as JSON.</summary>
    public static JsonObject Result(CorrespondenceResult r) => new()
    {
        ["rg"] = Rg(r),
        ["verdicts"] = new JsonArray(r.Verdicts.Select(v => (JsonNode?)Verdict(v)).ToArray()),
        ["flows"] = new JsonArray(r.Flows.Select(f => (JsonNode?)new JsonObject
        {
            ["objective"] = NnNames.Name(f.Objective),
            ["reading"] = Name(f.Reading),
            ["steps"] = Strings(f.Steps),
            ["summary"] = f.Text,
        }).ToArray()),
        ["training_trends"] = new JsonArray(r.Trends.Select(t => (JsonNode?)new JsonObject
        {
            ["objective"] = NnNames.Name(t.Objective),
            ["reading"] = Name(t.Reading),
            ["spearman_loss_distance"] = JsonOutput.Number(t.Spearman),
            ["first_distance"] = JsonOutput.Number(t.FirstDistance),
            ["last_distance"] = JsonOutput.Number(t.LastDistance),
            ["summary"] = t.Text,
        }).ToArray()),
        ["combined"] = new JsonArray(r.Combined.Select(c => (JsonNode?)new JsonObject
        {
            ["objective"] = NnNames.Name(c.Objective),
            ["compression"] = c.Compression,
            ["layer"] = c.Layer,
            ["reading"] = Name(c.Reading),
            ["parameters"] = Estimates(c.Parameters),
            ["max_abs_coupling"] = c.MaxAbsCoupling is null ? null : Estimate(c.MaxAbsCoupling),
            ["multi_information"] = Estimate(c.MultiInformation),
        }).ToArray()),
        ["networks"] = new JsonArray(r.Runs.Select(n => (JsonNode?)Run(n)).ToArray()),
        ["kernel_path"] = r.KernelPath,
        ["timings"] = new JsonObject(r.Timings.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))),
    };

    private static JsonObject Rg(CorrespondenceResult r) => new()
    {
        ["flow_b2"] = new JsonArray(r.Rg.Flow.Steps.Select(s => (JsonNode?)new JsonObject
        {
            ["step"] = s.Step,
            ["parameters"] = Parameters(s.Parameters),
            ["g"] = JsonOutput.Number(s.LogScale),
            ["projection_residual"] = JsonOutput.Number(s.ProjectionResidual),
        }).ToArray()),
        ["by_compression"] = new JsonArray(r.Rg.ByCompression.OrderBy(p => p.Key).Select(p => (JsonNode?)new JsonObject
        {
            ["b"] = p.Key,
            ["parameters"] = Parameters(p.Value),
        }).ToArray()),
        ["fixed_point"] = FixedPoint(r.Rg.Flow.FixedPoint),
        ["unstable_fixed_points"] = new JsonArray(r.Rg.Flow.UnstableFixedPoints.Select(f => (JsonNode?)FixedPoint(f)).ToArray()),
    };

    private static JsonObject FixedPoint(FixedPointReport f)
    {
        var o = new JsonObject();
        for (int i = 0; i < f.Names.Count; i++) o[f.Names[i]] = JsonOutput.Number(f.Values[i]);
        o["stable"] = f.Stable;
        o["eigenvalues"] = JsonOutput.Numbers(f.Eigenvalues);
        o["classification"] = f.Classification;
        return o;
    }

    private static JsonObject Verdict(VerdictEntry v) => new()
    {
        ["comparison"] = v.Kind,
        ["objective"] = NnNames.Name(v.Objective),
        ["reading"] = Name(v.Reading),
        ["compression"] = v.Compression,
        ["layer"] = v.Layer,
        ["parameter"] = v.Parameter,
        ["target"] = JsonOutput.Number(v.Verdict.Target),
        ["measured"] = Estimate(v.Verdict.Measured),
        ["within_ci"] = v.Verdict.Within,
        ["difference"] = JsonOutput.Number(v.Verdict.Difference),
        ["difference_in_se"] = JsonOutput.Number(v.Verdict.StandardErrors),
        ["verdict"] = v.Verdict.Text,
    };

    private static JsonObject Run(NetworkRun n) => new()
    {
        ["objective"] = NnNames.Name(n.Objective),
        ["seed_index"] = n.SeedIndex,
        ["compression"] = n.Compression,
        ["widths"] = new JsonArray(n.Widths.Select(w => (JsonNode?)w).ToArray()),
        ["training"] = new JsonObject
        {
            ["epochs"] = n.Training.Epochs,
            ["best_epoch"] = n.Training.BestEpoch,
            ["best_validation_loss"] = JsonOutput.Number(n.Training.BestValidationLoss),
            ["stop_reason"] = n.Training.StopReason.ToString(),
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
        ["layers"] = new JsonArray(n.Layers.Select(l => (JsonNode?)new JsonObject
        {
            ["layer"] = l.Layer,
            ["width"] = l.Width,
            ["readings"] = new JsonArray(l.Readings.Select(m => (JsonNode?)Measurement(m)).ToArray()),
        }).ToArray()),
        ["along_training"] = new JsonArray(n.AlongTraining.Select(c => (JsonNode?)new JsonObject
        {
            ["step"] = c.Step,
            ["epoch"] = c.Epoch,
            ["probe_loss"] = JsonOutput.Number(c.ProbeLoss),
            ["layers"] = new JsonArray(c.Layers.Select(l => (JsonNode?)new JsonObject
            {
                ["layer"] = l.Layer,
                ["width"] = l.Width,
                ["readings"] = new JsonArray(l.Readings.Select(m => (JsonNode?)Measurement(m)).ToArray()),
            }).ToArray()),
        }).ToArray()),
    };

    private static JsonObject Measurement(ReadingMeasurement m) => new()
    {
        ["reading"] = Name(m.Reading),
        ["family"] = m.Family.Name,
        ["parameters"] = Estimates(m.Parameters),
        ["max_abs_coupling"] = m.MaxAbsCoupling is double j ? JsonOutput.Number(j) : null,
        ["mean_neighbour_coupling"] = m.MeanNeighbourCoupling is double nn ? JsonOutput.Number(nn) : null,
        ["multi_information"] = JsonOutput.Number(m.MultiInformation),
        ["plug_in_multi_information"] = m.PlugInMultiInformation is double p ? JsonOutput.Number(p) : null,
        ["warnings"] = Strings(m.Warnings),
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

    /// <summary>The lower-case name of a reading.</summary>
    public static string Name(LayerReading r) => r.ToString().ToLowerInvariant();

    private static string Name(Boundary b) => b.ToString().ToLowerInvariant();
}
