namespace RgLens.Experiments;

/// <summary>
/// The feature layer read at one step along training (theory.md §4 item 4), with the objective's
/// loss on the fresh probe samples at that step.
/// </summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Epoch">Epoch in progress (0 before training).</param>
/// <param name="ProbeLoss">The training objective's loss (MSE) on the probe samples.</param>
/// <param name="Feature">The feature layer in each reading.</param>
public sealed record TrainingCheckpoint(long Step, int Epoch, double ProbeLoss, IReadOnlyList<ReadingMeasurement> Feature);
