using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>
/// Comparison (c)'s direction (theory.md §4 item 3): whether the deepest pyramid's combined coupling
/// moves toward K* = 0 layer by layer, as an RG flow does.
/// </summary>
/// <param name="Objective">The objective.</param>
/// <param name="Reading">The reading.</param>
/// <param name="Steps">"toward", "away" or "flat" per layer step (input → 1 → 2 … for the input's family; 1 → 2 … otherwise).</param>
/// <param name="Text">The summary in words.</param>
public sealed record FlowSummary(Objective Objective, LayerReading Reading, IReadOnlyList<string> Steps, string Text);
