using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RgLens.Data;

namespace RgLens.Nn;

/// <summary>
/// Trains fully connected networks on the float32 fast path (docs/theory.md, "Networks and objectives"): mini-batch gradient
/// descent with Adam or SGD, a learning-rate schedule, a held-out validation set and early
/// stopping on it, so the returned network is the one at the lowest validation loss ("optimal
/// parameters"). Public entry points validate everything and delegate to the epoch loop. Same
/// inputs, options, seed and thread count give bit-identical weights; a run resumed from a
/// checkpoint continues exactly as the uninterrupted run.
/// </summary>
public static class Trainer
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Trains a freshly initialized network (<see cref="Network.Create"/> with <see cref="TrainerOptions.Seed"/>).</summary>
    /// <param name="spec">The architecture; its objective decides the targets.</param>
    /// <param name="inputs">Samples × n_0, finite, at least two samples.</param>
    /// <param name="targets">Null for an autoencoder (it reconstructs the inputs); samples × n_L for a supervised network.</param>
    /// <param name="options">The training options.</param>
    /// <param name="cancellation">Stops training between two steps (throws <see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">Invalid options, or data that does not fit the spec (one line saying what).</exception>
    public static TrainingResult Train(NetworkSpec spec, SampleMatrix<float> inputs, SampleMatrix<float>? targets, TrainerOptions options,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TrainingFootprint.Require(spec, options.BatchSize, options.Threads);
        return Train(Network.Create(spec, options.Seed), inputs, targets, options, cancellation);
    }

    /// <summary>Trains starting from the weights of <paramref name="initial"/> (which is not modified); see the other overload.</summary>
    public static TrainingResult Train(Network initial, SampleMatrix<float> inputs, SampleMatrix<float>? targets, TrainerOptions options,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var spec = initial.Spec;
        TrainingFootprint.Require(spec, options.BatchSize, options.Threads);
        var t = CheckData(spec, inputs, targets, options);
        var parameters = initial.Parameters.ToArray();
        var state = new TrainingState { EpochEndParameters = (float[])parameters.Clone() };
        var optimizer = new Optimizer(options.Optimizer, options.WeightDecay, parameters.Length, options.Path);
        var data = new TrainingData(inputs, t, options.ValidationFraction, options.Seed);
        return new TrainingLoop(spec, data, options, Fingerprint(options, inputs, t)).Run(parameters, optimizer, state, cancellation);
    }

    /// <summary>
    /// Continues the run saved in <paramref name="checkpointPath"/> (see
    /// <see cref="TrainerOptions.CheckpointPath"/>). The architecture, the data and the options
    /// (except snapshots, checkpointing and progress) must be those of the original run.
    /// </summary>
    /// <exception cref="DataFormatException">The checkpoint is missing, corrupt or truncated.</exception>
    /// <exception cref="ArgumentException">The architecture, data or options differ from the checkpoint's run.</exception>
    public static TrainingResult Resume(string checkpointPath, NetworkSpec spec, SampleMatrix<float> inputs, SampleMatrix<float>? targets,
        TrainerOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TrainingFootprint.Require(spec, options.BatchSize, options.Threads);
        var saved = CheckpointFile.Load(checkpointPath);
        if (!saved.Spec.Equals(spec))
            throw new ArgumentException($"cannot resume '{checkpointPath}': it holds a {saved.Spec.Describe()} network, not {spec.Describe()}.");
        var t = CheckData(saved.Spec, inputs, targets, options);
        var fingerprint = Fingerprint(options, inputs, t);
        foreach (var (key, value) in fingerprint)
        {
            string now = value?.ToJsonString() ?? "null", then = saved.Training[key]?.ToJsonString() ?? "null";
            if (now != then) throw new ArgumentException($"cannot resume '{checkpointPath}': its run had {key} = {then}, this one has {now}.");
        }
        var optimizer = new Optimizer(options.Optimizer, options.WeightDecay, saved.Parameters.Length, options.Path) { Steps = saved.OptimizerSteps };
        if (saved.First.Length != optimizer.First.Length || saved.Second.Length != optimizer.Second.Length)
            throw new DataFormatException($"'{checkpointPath}': the optimizer state does not match the {options.Optimizer.Name} optimizer.");
        saved.First.CopyTo(optimizer.First, 0);
        saved.Second.CopyTo(optimizer.Second, 0);
        var data = new TrainingData(inputs, t, options.ValidationFraction, options.Seed);
        return new TrainingLoop(saved.Spec, data, options, fingerprint).Run(saved.Parameters, optimizer, saved.State, cancellation);
    }

    /// <summary>Checks the data against the spec and options and returns the effective targets (the inputs for an autoencoder).</summary>
    private static SampleMatrix<float> CheckData(NetworkSpec spec, SampleMatrix<float> inputs, SampleMatrix<float>? targets, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rows < 2) throw new ArgumentException($"training needs at least 2 samples; the data has {inputs.Rows}.", nameof(inputs));
        if (inputs.Columns != spec.InputWidth)
            throw new ArgumentException($"the network's input width is {spec.InputWidth} but the data has {inputs.Columns} columns per sample.", nameof(inputs));
        RequireFinite(inputs, "the data");
        SampleMatrix<float> t;
        if (spec.Objective == Objective.Autoencoder)
        {
            if (targets is not null && !ReferenceEquals(targets, inputs))
                throw new ArgumentException("an autoencoder reconstructs its inputs; pass no targets.", nameof(targets));
            t = inputs;
        }
        else
        {
            t = targets ?? throw new ArgumentException("a supervised network needs targets (samples x outputs).", nameof(targets));
            if (t.Rows != inputs.Rows) throw new ArgumentException($"the targets have {t.Rows} rows but the data has {inputs.Rows} samples.", nameof(targets));
            if (t.Columns != spec.OutputWidth)
                throw new ArgumentException($"the network's output width is {spec.OutputWidth} but the targets have {t.Columns} columns.", nameof(targets));
            RequireFinite(t, "the targets");
        }
        if (options.Loss == Loss.BinaryCrossEntropy)
        {
            if (spec.Layers[^1].Activation != Activation.Sigmoid)
                throw new ArgumentException($"binary cross-entropy needs a sigmoid output layer; this one is {NnNames.Name(spec.Layers[^1].Activation)}.");
            for (int i = 0; i < t.Data.Length; i++)
                if (t.Data[i] is < 0 or > 1)
                    throw new ArgumentException($"binary cross-entropy needs targets in [0, 1]; found {t.Data[i].ToString(CultureInfo.InvariantCulture)} at row {i / t.Columns + 1}, column {i % t.Columns + 1} (use mse for ±1 spins).");
        }
        return t;
    }

    private static void RequireFinite(SampleMatrix<float> m, string what)
    {
        for (int i = 0; i < m.Data.Length; i++)
            if (!float.IsFinite(m.Data[i]))
                throw new ArgumentException($"{what} holds {m.Data[i].ToString(CultureInfo.InvariantCulture)} at row {i / m.Columns + 1}, column {i % m.Columns + 1}; values must be finite.");
    }

    /// <summary>The options that change the numbers, as JSON (manifests record them).</summary>
    internal static JsonObject Describe(TrainerOptions o)
    {
        var d = DescribeCore(o);
        // Recorded only when set, so that manifests and checkpoints of runs without it keep their bytes.
        if (o.MinRelativeImprovement > 0) d["min_relative_improvement"] = o.MinRelativeImprovement;
        return d;
    }

    private static JsonObject DescribeCore(TrainerOptions o) => new()
    {
        ["loss"] = NnNames.Name(o.Loss),
        ["optimizer"] = JsonSerializer.SerializeToNode(o.Optimizer, o.Optimizer.GetType(), s_json),
        ["learning_rate"] = o.LearningRate,
        ["schedule"] = JsonSerializer.SerializeToNode(o.Schedule, o.Schedule.GetType(), s_json),
        ["weight_decay"] = o.WeightDecay,
        ["batch_size"] = o.BatchSize,
        ["epochs"] = o.Epochs,
        ["validation_fraction"] = o.ValidationFraction,
        ["patience"] = o.Patience,
        ["seed"] = o.Seed,
        ["threads"] = o.Threads,
    };

    /// <summary>What a checkpoint must share with the run that resumes it: every option that changes the numbers, and the data.</summary>
    internal static JsonObject Fingerprint(TrainerOptions o, SampleMatrix<float> inputs, SampleMatrix<float> targets)
    {
        var f = Describe(o);
        f["data"] = new JsonObject
        {
            ["rows"] = inputs.Rows,
            ["columns"] = inputs.Columns,
            ["target_columns"] = targets.Columns,
            ["hash"] = TrainingData.Fingerprint(inputs, targets).ToString("x16", CultureInfo.InvariantCulture),
        };
        return f;
    }
}
