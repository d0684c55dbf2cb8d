namespace RgLens.Nn;

/// <summary>The outcome of <see cref="Trainer"/>: the chosen network, the loss curve and why training stopped.</summary>
public sealed record TrainingResult
{
    /// <summary>The network at the lowest monitored loss (validation loss, or training loss without validation set): the "optimal parameters" of docs/theory.md.</summary>
    public required Network Network { get; init; }

    /// <summary>The network after the last completed epoch (the last good one after a divergence).</summary>
    public required Network FinalNetwork { get; init; }

    /// <summary>The loss curve, one record per completed epoch.</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }

    /// <summary>Why training ended.</summary>
    public required StopReason StopReason { get; init; }

    /// <summary>The epoch (from 1) whose network is <see cref="Network"/>; 0 when no epoch completed.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>The monitored loss of <see cref="Network"/> (NaN when no epoch completed).</summary>
    public required double BestLoss { get; init; }

    /// <summary>Optimizer steps taken in total (including those before a resume).</summary>
    public required long Steps { get; init; }

    /// <summary>Training and validation sample counts.</summary>
    public required int TrainSamples { get; init; }

    /// <summary>Validation samples (0 without validation set).</summary>
    public required int ValidationSamples { get; init; }

    /// <summary>For <see cref="StopReason.Diverged"/>: what happened, in one line; otherwise null.</summary>
    public string? Message { get; init; }

    /// <summary>The kernel path that ran: avx512, avx2 or scalar.</summary>
    public required string KernelPath { get; init; }
}
