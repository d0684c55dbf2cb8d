using RgLens.Experiments;

namespace RgLens.Sweeps;

/// <summary>One cell of a sweep: its index, its coordinates on every axis, and the run it stands for.</summary>
/// <param name="Index">0-based, in the grid's row-major order (the last axis varies fastest).</param>
/// <param name="Coordinates">(axis, value) for every axis, in axis order.</param>
/// <param name="Config">The correspondence run of this cell.</param>
public sealed record SweepCell(int Index, IReadOnlyList<(string Axis, string Value)> Coordinates, CorrespondenceConfig Config)
{
    /// <summary>"K=0.3, b=4".</summary>
    public string Describe() => Coordinates.Count == 0 ? "(the base run)" : string.Join(", ", Coordinates.Select(c => $"{c.Axis}={c.Value}"));

    /// <summary>The cell's file name under cells/.</summary>
    public string FileName => $"cell-{Index:D6}.json";
}
