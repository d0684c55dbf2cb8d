using RgLens.Nn;

namespace RgLens.Results;

/// <summary>How one network's training went.</summary>
/// <param name="Epochs">Epochs run.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (lowest validation loss).</param>
/// <param name="BestValidationLoss">That loss.</param>
/// <param name="StopReason">Early stopping (converged), the epoch cap, or divergence.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="History">The loss curve.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record TrainingSummary(int Epochs, int BestEpoch, double BestValidationLoss, StopReason StopReason, long Steps, IReadOnlyList<EpochRecord> History, double Seconds)
{
    /// <summary>Whether early stopping ended the training (the validation loss stopped improving), not the epoch cap.</summary>
    public bool Converged => StopReason == StopReason.EarlyStopped;
}
