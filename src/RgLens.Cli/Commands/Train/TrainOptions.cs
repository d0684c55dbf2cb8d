using System.CommandLine;
using System.Globalization;
using RgLens.Cli.Infrastructure;
using RgLens.Nn;

namespace RgLens.Cli.Commands.Train;

/// <summary>The options of <c>rglens train</c> and their binding to a <see cref="NetworkSpec"/> and <see cref="TrainerOptions"/>.</summary>
public sealed class TrainOptions
{
    /// <summary><c>--data</c>.</summary>
    public Option<string> Data { get; } = new("--data") { Description = $"Training data: {CommonOptions.DataFiles}, samples x sites.", Required = true };

    /// <summary><c>--targets</c>.</summary>
    public Option<string?> Targets { get; } = new("--targets") { Description = $"Supervised targets θ0: {CommonOptions.DataFiles}, samples x d (objective supervised)." };

    /// <summary><c>--widths</c>.</summary>
    public Option<string> Widths { get; } = new("--widths") { Description = "Encoder widths n_0,...,n_k; n_0 must equal the data's columns (e.g. 64,32,16).", Required = true };

    /// <summary><c>--objective</c>.</summary>
    public Option<string> Objective { get; } = Choice("--objective", "autoencoder (decoder mirrors the encoder) or supervised (linear head regresses --targets).", "autoencoder", NnNames.Objectives);

    /// <summary><c>--activation</c>.</summary>
    public Option<string> Activation { get; } = Choice("--activation", "Hidden-layer activation.", "tanh", NnNames.Activations);

    /// <summary><c>--output-activation</c>.</summary>
    public Option<string> OutputActivation { get; } = Choice("--output-activation", "Output activation (auto: identity for mse, sigmoid for bce).", "auto", ["auto", .. NnNames.Activations]);

    /// <summary><c>--loss</c>.</summary>
    public Option<string> Loss { get; } = Choice("--loss", "mse (default; ±1 spins) or bce (0/1 data, sigmoid output).", "mse", NnNames.Losses);

    /// <summary><c>--init</c>.</summary>
    public Option<string> Init { get; } = Choice("--init", "Weight initialization: auto (He for relu, Xavier otherwise), xavier or he.", "auto", NnNames.Inits);

    /// <summary><c>--no-bias</c>.</summary>
    public Option<bool> NoBias { get; } = new("--no-bias") { Description = "Layers without bias vectors." };

    /// <summary><c>--optimizer</c>.</summary>
    public Option<string> Optimizer { get; } = Choice("--optimizer", "adam or sgd (with momentum).", "adam", ["adam", "sgd"]);

    /// <summary><c>--lr</c>.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate (> 0).", DefaultValueFactory = _ => 1e-3 };

    /// <summary><c>--momentum</c>.</summary>
    public Option<double> Momentum { get; } = new("--momentum") { Description = "SGD momentum in [0, 1).", DefaultValueFactory = _ => 0.9 };

    /// <summary><c>--weight-decay</c>.</summary>
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay on W (decoupled for adam, L2 for sgd).", DefaultValueFactory = _ => 0.0 };

    /// <summary><c>--schedule</c>.</summary>
    public Option<string> Schedule { get; } = Choice("--schedule", "Learning-rate schedule: constant, step (--gamma every --step-epochs) or cosine.", "constant", ["constant", "step", "cosine"]);

    /// <summary><c>--step-epochs</c>.</summary>
    public Option<int> StepEpochs { get; } = new("--step-epochs") { Description = "Epochs between decays of the step schedule.", DefaultValueFactory = _ => 10 };

    /// <summary><c>--gamma</c>.</summary>
    public Option<double> Gamma { get; } = new("--gamma") { Description = "Decay factor of the step schedule.", DefaultValueFactory = _ => 0.5 };

    /// <summary><c>--batch</c>.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 128 };

    /// <summary><c>--epochs</c>.</summary>
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 50 };

    /// <summary><c>--validation</c>.</summary>
    public Option<double> Validation { get; } = new("--validation") { Description = "Fraction held out for validation and early stopping, in [0, 1).", DefaultValueFactory = _ => 0.1 };

    /// <summary><c>--patience</c>.</summary>
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a lower validation loss (0: never).", DefaultValueFactory = _ => 10 };

    /// <summary><c>--checkpoint-every</c>.</summary>
    public Option<long> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Write OUT/checkpoint.npz every this many steps (0: after every epoch).", DefaultValueFactory = _ => 0 };

    /// <summary><c>--snapshot-steps</c>.</summary>
    public Option<string?> SnapshotSteps { get; } = new("--snapshot-steps") { Description = "Save the network after these steps (e.g. 0,100,1000) as OUT/snapshots/step-N.npz." };

    /// <summary><c>--resume</c>.</summary>
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from OUT/checkpoint.npz (same data and options)." };

    /// <summary><c>--init-from</c>.</summary>
    public Option<string?> InitFrom { get; } = new("--init-from") { Description = "Start from the weights of a saved network (.npz) instead of a fresh initialization." };

    /// <summary><c>--out</c>.</summary>
    public Option<string> Out { get; } = new("--out") { Description = "Output folder (created): network.npz, loss.csv, loss.png, run.json, checkpoint.npz.", Required = true };

    /// <summary><c>--architecture</c>.</summary>
    public Option<string> Architecture { get; } = Choice("--architecture", "dense (fully connected, --widths are units) or conv (a pyramid of Conv1d layers, --widths are site counts, e.g. 64,32,16).", "dense", ["dense", "conv"]);

    /// <summary><c>--channels</c>.</summary>
    public Option<int> Channels { get; } = new("--channels") { Description = "Channels of every conv layer (--architecture conv).", DefaultValueFactory = _ => 4 };

    /// <summary><c>--kernel</c>.</summary>
    public Option<int> Kernel { get; } = new("--kernel") { Description = "Odd kernel size of the conv layers (--architecture conv).", DefaultValueFactory = _ => 3 };

    /// <summary><c>--padding</c>.</summary>
    public Option<string> Padding { get; } = Choice("--padding", "Conv padding: circular (periodic chain) or zeros (open chain).", "circular", ["circular", "zeros"]);

    /// <summary><c>--seed</c>.</summary>
    public Option<long> Seed { get; } = CommonOptions.Seed();

    /// <summary><c>--threads</c>.</summary>
    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Worker threads (0: one per core). The same seed and thread count give bit-identical weights; a different count changes only the rounding.",
        DefaultValueFactory = _ => 0,
    };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the run summary as JSON." };

    /// <summary><c>--onnx</c>.</summary>
    public Option<bool> Onnx { get; } = new("--onnx") { Description = "Also write the network as ONNX (network.onnx, deterministic bytes) for PyTorch and other ONNX tools." };

    /// <summary>Every option, in help order.</summary>
    public IEnumerable<Option> All =>
    [
        Data, Targets, Widths, Objective, Activation, OutputActivation, Loss, Init, NoBias, Optimizer, LearningRate, Momentum, WeightDecay,
        Schedule, StepEpochs, Gamma, Batch, Epochs, Validation, Patience, CheckpointEvery, SnapshotSteps, Resume, InitFrom, Out, Seed, Threads, Json, Onnx,
        Architecture, Channels, Kernel, Padding,
    ];

    /// <summary>The encoder widths of <c>--widths</c>.</summary>
    public int[] EncoderWidths(ParseResult r)
    {
        string text = r.GetValue(Widths)!;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new UsageException($"--widths takes positive integers separated by commas (e.g. 64,32,16); got '{text}'.");
        if (widths.Length < 2) throw new UsageException($"--widths needs the input width and at least one more layer (e.g. 64,32,16); got '{text}'.");
        return widths;
    }

    /// <summary>The steps of <c>--snapshot-steps</c> (empty when absent).</summary>
    public long[] Snapshots(ParseResult r)
    {
        string? text = r.GetValue(SnapshotSteps);
        if (string.IsNullOrWhiteSpace(text)) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var steps = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out steps[i]))
                throw new UsageException($"--snapshot-steps takes step numbers >= 0 separated by commas (e.g. 0,100,1000); got '{text}'.");
        return steps;
    }

    /// <summary>The architecture from the options, for data with <paramref name="targetColumns"/> target columns (supervised).</summary>
    public NetworkSpec Spec(ParseResult r, int targetColumns)
    {
        var widths = EncoderWidths(r);
        var hidden = NnNames.ParseActivation(r.GetValue(Activation)!);
        var loss = NnNames.ParseLoss(r.GetValue(Loss)!);
        string output = r.GetValue(OutputActivation)!;
        var outputActivation = output == "auto" ? (loss == Nn.Loss.BinaryCrossEntropy ? Nn.Activation.Sigmoid : Nn.Activation.Identity) : NnNames.ParseActivation(output);
        bool bias = !r.GetValue(NoBias);
        var init = NnNames.ParseInit(r.GetValue(Init)!);
        if (r.GetValue(Architecture) == "conv")
        {
            int channels = r.GetValue(Channels), kernel = r.GetValue(Kernel);
            if (channels < 1) throw new UsageException($"--channels must be >= 1; got {channels}.");
            if (kernel < 1 || kernel % 2 == 0) throw new UsageException($"--kernel must be odd and >= 1; got {kernel}.");
            try
            {
                var conv = NetworkSpec.ConvPyramid(widths, channels, kernel, NnNames.ParsePadding(r.GetValue(Padding)!), NnNames.ParseObjective(r.GetValue(Objective)!),
                    targetColumns, hidden, outputActivation, bias, init);
                if (conv.Objective == Nn.Objective.Autoencoder) return conv;
                var convLayers = conv.Layers.ToArray();
                convLayers[^1] = convLayers[^1] with { Activation = outputActivation };
                return new NetworkSpec(conv.InputWidth, convLayers, conv.FeatureLayer, conv.Objective, init);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--architecture conv: {e.Message}");
            }
        }
        if (NnNames.ParseObjective(r.GetValue(Objective)!) == Nn.Objective.Autoencoder)
            return NetworkSpec.Autoencoder(widths, hidden, outputActivation, bias, init);
        var spec = NetworkSpec.Supervised(widths, targetColumns, hidden, bias, init);
        var layers = spec.Layers.ToArray();
        layers[^1] = layers[^1] with { Activation = outputActivation };
        return new NetworkSpec(spec.InputWidth, layers, spec.FeatureLayer, spec.Objective, init);
    }

    /// <summary>Checks every named choice (activations, loss, objective, initialization), so a typo fails before any data is read.</summary>
    public void CheckNames(ParseResult r)
    {
        NnNames.ParseActivation(r.GetValue(Activation)!);
        if (r.GetValue(OutputActivation) != "auto") NnNames.ParseActivation(r.GetValue(OutputActivation)!);
        NnNames.ParseLoss(r.GetValue(Loss)!);
        NnNames.ParseObjective(r.GetValue(Objective)!);
        NnNames.ParseInit(r.GetValue(Init)!);
    }

    /// <summary>The trainer options (without snapshots, checkpoint path or progress).</summary>
    public TrainerOptions Trainer(ParseResult r) => new()
    {
        Loss = NnNames.ParseLoss(r.GetValue(Loss)!),
        Optimizer = Pick(r, Optimizer, "adam", "sgd") == "sgd" ? new SgdSettings(r.GetValue(Momentum)) : new AdamSettings(),
        LearningRate = r.GetValue(LearningRate),
        WeightDecay = r.GetValue(WeightDecay),
        Schedule = Pick(r, Schedule, "constant", "step", "cosine") switch
        {
            "step" => new StepSchedule(r.GetValue(StepEpochs), r.GetValue(Gamma)),
            "cosine" => new CosineSchedule(),
            _ => new ConstantSchedule(),
        },
        BatchSize = r.GetValue(Batch),
        Epochs = r.GetValue(Epochs),
        ValidationFraction = r.GetValue(Validation),
        Patience = r.GetValue(Patience),
        Seed = CommonOptions.SeedValue(r, Seed),
        Threads = CommonOptions.ThreadsValue(r, Threads),
        CheckpointEvery = r.GetValue(CheckpointEvery),
    };

    /// <summary>A named choice; the value is checked when bound (NnNames gives a one-line error listing the choices).</summary>
    private static Option<string> Choice(string name, string description, string fallback, IReadOnlyList<string> choices) =>
        new(name) { Description = $"{description} One of: {string.Join(", ", choices)}.", DefaultValueFactory = _ => fallback };

    /// <summary>The value of a choice that NnNames does not parse (optimizer, schedule, output activation).</summary>
    private static string Pick(ParseResult r, Option<string> option, params string[] choices)
    {
        string value = r.GetValue(option)!;
        return choices.Contains(value) ? value
            : throw new UsageException($"unknown {option.Name} '{value}'; expected one of {string.Join(", ", choices)}.");
    }
}
