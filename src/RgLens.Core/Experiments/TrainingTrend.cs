using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>
/// Comparison (d) of theory.md §4: the feature layer's distance to θ*(θ0) along training against
/// the loss, pooled over seeds: Spearman's rank correlation of (loss, distance) over checkpoints,
/// and the mean distance at the first and the last checkpoint.
/// </summary>
/// <param name="Objective">The objective.</param>
/// <param name="Reading">The reading.</param>
/// <param name="Spearman">ρ_s(loss, distance): positive when the distance falls with the loss.</param>
/// <param name="FirstDistance">Mean distance at step 0.</param>
/// <param name="LastDistance">Mean distance at the last checkpoint.</param>
/// <param name="Text">The verdict in words.</param>
public sealed record TrainingTrend(Objective Objective, LayerReading Reading, double Spearman, double FirstDistance, double LastDistance, string Text);
