using RgLens.Nn;

namespace RgLens.Experiments;

/// <summary>One trained network of the experiment and everything read from it.</summary>
/// <param name="Objective">Autoencoder or supervised.</param>
/// <param name="SeedIndex">Which of the experiment's seeds (0-based).</param>
/// <param name="Compression">b = N / M of its feature layer.</param>
/// <param name="Widths">Encoder widths N → N/2 → … → M.</param>
/// <param name="Training">The training summary.</param>
/// <param name="Layers">Every encoder layer's output system at the early-stopping optimum.</param>
/// <param name="AlongTraining">Every encoder layer at checkpoints along training (deepest pyramid only; empty otherwise).</param>
public sealed record NetworkRun(
    Objective Objective,
    int SeedIndex,
    int Compression,
    IReadOnlyList<int> Widths,
    TrainingSummary Training,
    IReadOnlyList<LayerMeasurement> Layers,
    IReadOnlyList<TrainingCheckpoint> AlongTraining)
{
    /// <summary>The feature layer (the last encoder layer).</summary>
    public LayerMeasurement Feature => Layers[^1];
}
