namespace RgLens.Nn;

/// <summary>
/// Where a training run stands, complete enough to continue it bit for bit (a checkpoint holds it
/// with the parameters and optimizer state): position, the running epoch loss, early-stopping
/// bookkeeping and the loss curve so far.
/// </summary>
internal sealed class TrainingState
{
    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; set; }

    /// <summary>The epoch in progress (0-based).</summary>
    public int Epoch { get; set; }

    /// <summary>The next batch of the epoch in progress.</summary>
    public int Batch { get; set; }

    /// <summary>Σ batch loss × batch rows in the epoch so far.</summary>
    public double EpochLossSum { get; set; }

    /// <summary>Training rows seen in the epoch so far.</summary>
    public long EpochSamples { get; set; }

    /// <summary>The lowest monitored loss so far (∞ before the first epoch ends).</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>The epoch (from 1) of <see cref="BestLoss"/>; 0 before the first epoch ends.</summary>
    public int BestEpoch { get; set; }

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>The parameters at <see cref="BestEpoch"/> (null before the first epoch ends).</summary>
    public float[]? BestParameters { get; set; }

    /// <summary>The parameters at the end of the last completed epoch (the initial ones before).</summary>
    public float[] EpochEndParameters { get; set; } = [];

    /// <summary>The loss curve so far.</summary>
    public List<EpochRecord> History { get; } = [];
}
