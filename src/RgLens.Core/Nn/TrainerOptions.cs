using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// How <see cref="Trainer"/> trains: loss, optimizer, learning rate and schedule, batches,
/// epochs, validation split and early stopping, seed and threads, snapshots and checkpoints,
/// progress. The same options, seed and thread count give bit-identical weights.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>The loss (default MSE; binary cross-entropy needs a sigmoid output and 0/1 targets).</summary>
    public Loss Loss { get; init; } = Loss.MeanSquaredError;

    /// <summary>The optimizer (default Adam with β = (0.9, 0.999), ε = 10⁻⁸).</summary>
    public OptimizerSettings Optimizer { get; init; } = new AdamSettings();

    /// <summary>The base learning rate (&gt; 0; default 10⁻³).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The learning-rate schedule (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = new ConstantSchedule();

    /// <summary>Weight decay λ ≥ 0 on the weights W_l (not the biases): decoupled for Adam, L2 for SGD. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Samples per mini-batch (default 128); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Maximum number of passes over the training samples (default 50).</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Fraction of the samples held out for validation, in [0, 1) (default 0.1; at least one sample when &gt; 0).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// Early stopping: stop after this many epochs without a new lowest validation loss (the
    /// training loss when there is no validation set). 0 disables it. Default 10.
    /// </summary>
    public int Patience { get; init; } = 10;

    /// <summary>
    /// Early stopping's minimum relative improvement (as Keras' min_delta, but relative): an epoch
    /// counts as an improvement only when the monitored loss falls below best · (1 − this). The
    /// returned weights are still those of the lowest loss. Default 0 (any decrease counts).
    /// </summary>
    public double MinRelativeImprovement { get; init; }

    /// <summary>The seed of every random draw: initialization ("nn-init"), split ("nn-split"), shuffling ("nn-shuffle").</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads (≥ 1; default 1). Each takes a fixed share of every batch; results depend on the count, not on timing.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Steps (0 = before training) at which <see cref="OnSnapshot"/> receives a copy of the network.</summary>
    public IReadOnlyList<long> SnapshotSteps { get; init; } = [];

    /// <summary>Receives the snapshots of <see cref="SnapshotSteps"/> (called on the training thread).</summary>
    public Action<NetworkSnapshot>? OnSnapshot { get; init; }

    /// <summary>Where to write resumable checkpoints (weights, optimizer state, step, history); null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Write a checkpoint every this many steps (0: at the end of every epoch). Needs <see cref="CheckpointPath"/>.</summary>
    public long CheckpointEvery { get; init; }

    /// <summary>Receives progress at the end of every epoch and at most every <see cref="ProgressInterval"/> in between.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Minimum time between two in-epoch progress reports (default 0.25 s).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>The kernel path (tests force the portable and scalar paths with it).</summary>
    internal KernelPath Path { get; init; } = KernelPaths.Best;

    /// <summary>Checks every option; the messages name the option.</summary>
    /// <exception cref="ArgumentException">The first invalid option.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Loss)) throw new ArgumentException($"unknown loss ({(int)Loss}).");
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        Optimizer.Validate();
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        Schedule.Validate();
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentException($"the learning rate must be > 0; got {LearningRate}.");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) throw new ArgumentException($"the weight decay must be >= 0; got {WeightDecay}.");
        if (!(MinRelativeImprovement >= 0 && MinRelativeImprovement < 1)) throw new ArgumentException($"the minimum relative improvement must lie in [0, 1); got {MinRelativeImprovement}.");
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be >= 1; got {BatchSize}.");
        if (Epochs < 1) throw new ArgumentException($"the number of epochs must be >= 1; got {Epochs}.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentException($"the validation fraction must be in [0, 1); got {ValidationFraction}.");
        if (Patience < 0) throw new ArgumentException($"the patience must be >= 0; got {Patience}.");
        if (Threads < 1) throw new ArgumentException($"the thread count must be >= 1; got {Threads}.");
        ArgumentNullException.ThrowIfNull(SnapshotSteps, nameof(SnapshotSteps));
        foreach (long s in SnapshotSteps)
            if (s < 0) throw new ArgumentException($"snapshot steps must be >= 0; got {s}.");
        if (CheckpointEvery < 0) throw new ArgumentException($"the checkpoint interval must be >= 0; got {CheckpointEvery}.");
        if (ProgressInterval < TimeSpan.Zero) throw new ArgumentException("the progress interval must be >= 0.");
        if (!KernelPaths.IsSupported(Path)) throw new ArgumentException($"kernel path {KernelPaths.Name(Path)} is not supported on this CPU.");
    }
}
