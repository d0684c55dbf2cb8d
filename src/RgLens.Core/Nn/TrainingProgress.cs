namespace RgLens.Nn;

/// <summary>A progress report during training (for progress bars and logs).</summary>
/// <param name="Epoch">The current epoch, counting from 1.</param>
/// <param name="Epochs">The maximum number of epochs.</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="TotalSteps">Steps of a run that uses every epoch.</param>
/// <param name="TrainLoss">Mean training loss of the current epoch so far.</param>
/// <param name="ValidationLoss">The latest validation loss (NaN before the first epoch ends, or without validation set).</param>
/// <param name="SamplesPerSecond">Training throughput since the start of this call to the trainer.</param>
/// <param name="EpochCompleted">Whether this report closes an epoch.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, long Step, long TotalSteps, double TrainLoss, double ValidationLoss,
    double SamplesPerSecond, bool EpochCompleted);
