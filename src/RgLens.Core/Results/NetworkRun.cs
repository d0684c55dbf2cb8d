using RgLens.Nn;

namespace RgLens.Results;

/// <summary>One network of the experiment, in one condition, and everything read from it.</summary>
/// <param name="Condition">"trained" or a control id (<see cref="Conditions"/>).</param>
/// <param name="Objective">Autoencoder or supervised.</param>
/// <param name="SeedIndex">Which of the experiment's seeds (0-based); the same index shares initialization and probe data across conditions.</param>
/// <param name="Compression">b = N / M of its feature layer.</param>
/// <param name="Widths">Encoder widths N → N/2 → … → M.</param>
/// <param name="Training">The training summary (null for the untrained control).</param>
/// <param name="Layers">Every encoder layer's output system.</param>
/// <param name="AlongTraining">The feature layer at checkpoints along training (deepest pyramid of trained conditions only).</param>
public sealed record NetworkRun(
    string Condition,
    Objective Objective,
    int SeedIndex,
    int Compression,
    IReadOnlyList<int> Widths,
    TrainingSummary? Training,
    IReadOnlyList<LayerMeasurement> Layers,
    IReadOnlyList<TrainingCheckpoint> AlongTraining)
{
    /// <summary>The feature layer (the last encoder layer).</summary>
    public LayerMeasurement Feature => Layers[^1];
}
