using System.Globalization;
using RgLens.Experiments;
using RgLens.Nn;
using RgLens.Numerics;

namespace RgLens.Sweeps;

/// <summary>
/// The cells of a sweep: the base configuration (every option of <c>correspond</c>) crossed with
/// the axes. Each cell gets its own seed, derived from the base seed and its coordinates (not its
/// index, so adding a value to an axis leaves the other cells' results unchanged), unless a
/// <c>seed</c> axis sets it. Every cell is validated before anything runs.
/// </summary>
public static class SweepGrid
{
    /// <summary>The axis names besides the family's parameters.</summary>
    public static readonly IReadOnlyList<string> StructuralAxes = ["N", "b", "objective", "architecture", "seed"];

    /// <summary>The cells of <paramref name="axes"/> over <paramref name="baseConfig"/>.</summary>
    /// <exception cref="ArgumentException">An unknown or repeated axis, too many cells, or a cell outside the domain (its coordinates named).</exception>
    public static IReadOnlyList<SweepCell> Cells(CorrespondenceConfig baseConfig, IReadOnlyList<SweepAxis> axes, long maxCells)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        ArgumentNullException.ThrowIfNull(axes);
        var family = baseConfig.Theta0.Family;
        var parameterNames = family.Parameters.Select(p => p.Name).ToArray();
        foreach (var axis in axes)
        {
            if (!parameterNames.Contains(axis.Name) && !StructuralAxes.Contains(axis.Name))
                throw new ArgumentException($"--axis {axis.Name}: the {family.Name} family has no parameter '{axis.Name}'; axes are {string.Join(", ", parameterNames.Concat(StructuralAxes))}.");
            if (axis.Values.Count == 0) throw new ArgumentException($"--axis {axis.Name} has no values.");
        }
        var dup = axes.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"--axis {dup.Key} is given twice.");
        long total = axes.Aggregate(1L, (n, a) => n > long.MaxValue / Math.Max(1, a.Values.Count) ? long.MaxValue : n * a.Values.Count);
        if (total > maxCells) throw new ArgumentException($"the grid has {total} cells, more than --max-cells {maxCells}.");
        var cells = new List<SweepCell>((int)total);
        var index = new int[axes.Count];
        for (int i = 0; i < total; i++)
        {
            var coordinates = axes.Select((a, k) => (a.Name, a.Values[index[k]])).ToArray();
            CorrespondenceConfig config;
            try
            {
                config = Apply(baseConfig, coordinates);
                config.Validate();
            }
            catch (Exception e) when (e is ArgumentException or RgLensException)
            {
                string where = string.Join(", ", coordinates.Select(c => $"{c.Name}={c.Item2}"));
                throw new ArgumentException($"sweep cell {i} ({where}): {e.Message.TrimEnd('.')}.");
            }
            cells.Add(new SweepCell(i, coordinates, config));
            for (int k = axes.Count - 1; k >= 0; k--)
            {
                if (++index[k] < axes[k].Values.Count) break;
                index[k] = 0;
            }
        }
        return cells;
    }

    /// <summary>The base configuration with the cell's coordinates applied.</summary>
    public static CorrespondenceConfig Apply(CorrespondenceConfig baseConfig, IReadOnlyList<(string Axis, string Value)> coordinates)
    {
        var config = baseConfig;
        var values = config.Theta0.Values();
        var names = config.Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        bool seedGiven = false;
        foreach (var (axis, value) in coordinates)
        {
            switch (axis)
            {
                case "N":
                    config = config with { Length = Int(axis, value) };
                    break;
                case "b":
                    config = config with { Compressions = [Int(axis, value)] };
                    break;
                case "objective":
                    config = config with { Objectives = [NnNames.ParseObjective(value)] };
                    break;
                case "architecture":
                    config = config with { Architecture = value.Trim().ToLowerInvariant() };
                    break;
                case "seed":
                    long s = Int(axis, value);
                    if (s < 0) throw new ArgumentException($"a seed must be >= 0; got {value}.");
                    config = config with { Seed = (ulong)s };
                    seedGiven = true;
                    break;
                default:
                    values[Array.IndexOf(names, axis)] = SweepAxis.Number(axis, value);
                    break;
            }
        }
        config = config with { Theta0 = config.Theta0.Family.Create(values) };
        if (!seedGiven && coordinates.Count > 0)
            config = config with { Seed = RandomStream.Derive(baseConfig.Seed, "sweep-cell:" + string.Join(";", coordinates.Select(c => $"{c.Axis}={c.Value}"))) };
        return config;
    }

    private static int Int(string axis, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v
        : throw new ArgumentException($"--axis {axis}: '{value}' is not a whole number.");
}
