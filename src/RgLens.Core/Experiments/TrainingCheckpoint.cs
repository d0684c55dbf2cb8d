namespace RgLens.Experiments;

/// <summary>
/// Every encoder layer read at one step along training (theory.md §4 item 4), with the objective's
/// loss on the fresh probe samples at that step. Checkpoint readings carry point estimates only
/// (no bootstrap, no all-pairs fit): the comparison along training is between checkpoints.
/// </summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Epoch">Epoch in progress (0 before training).</param>
/// <param name="ProbeLoss">The training objective's loss (MSE) on the probe samples.</param>
/// <param name="Layers">Encoder layers 1 … feature layer, each in every reading.</param>
public sealed record TrainingCheckpoint(long Step, int Epoch, double ProbeLoss, IReadOnlyList<LayerMeasurement> Layers)
{
    /// <summary>The feature layer in each reading.</summary>
    public IReadOnlyList<ReadingMeasurement> Feature => Layers[^1].Readings;
}
