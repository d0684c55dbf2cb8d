namespace RgLens.Results;

/// <summary>A network read at one step of its training (the deepest pyramid only).</summary>
/// <param name="Step">Optimizer steps taken (0: the initialization).</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="ProbeLoss">The objective's loss on the probe samples.</param>
/// <param name="Feature">The feature layer in every reading (point estimates).</param>
public sealed record TrainingCheckpoint(long Step, int Epoch, double ProbeLoss, LayerMeasurement Feature);
