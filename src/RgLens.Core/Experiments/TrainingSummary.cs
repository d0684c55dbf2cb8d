using RgLens.Nn;

namespace RgLens.Experiments;

/// <summary>How one network's training went: the early-stopping optimum and the loss curve.</summary>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="BestEpoch">The epoch of the lowest validation loss (the network that was read).</param>
/// <param name="BestValidationLoss">That loss.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="History">One record per epoch.</param>
/// <param name="Seconds">Training time.</param>
public sealed record TrainingSummary(int Epochs, int BestEpoch, double BestValidationLoss, StopReason StopReason, long Steps, IReadOnlyList<EpochRecord> History, double Seconds);
