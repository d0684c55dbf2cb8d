namespace RgLens.Nn;

/// <summary>One line of the loss curve: the state at the end of an epoch.</summary>
/// <param name="Epoch">The epoch, counting from 1.</param>
/// <param name="Step">Optimizer steps completed so far.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (weighted by batch size).</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch (NaN without validation set).</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall time since training started (not part of the reproducible output).</param>
public sealed record EpochRecord(int Epoch, long Step, double TrainLoss, double ValidationLoss, double LearningRate, double Seconds);
