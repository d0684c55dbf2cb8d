namespace RgLens.Exact;

/// <summary>
/// How continuous and count families are discretized (docs/families.md, "Grids"): the target
/// accuracy of the infinite chain's ln Z per site, moments E T(x) and neighbour correlation, an
/// optional fixed number of grid points, and the largest grid the automatic choice may use.
/// </summary>
public sealed record GridOptions
{
    /// <summary>The default target accuracy (absolute, on quantities of order one; relative beyond).</summary>
    public const double DefaultAccuracy = 1e-10;

    /// <summary>The finest accuracy that can be asked for: a few hundred ulps of double precision.</summary>
    public const double FinestAccuracy = 1e-13;

    /// <summary>The target accuracy (see <see cref="DefaultAccuracy"/>).</summary>
    public double Accuracy { get; init; } = DefaultAccuracy;

    /// <summary>When set, the grid has exactly this many points (the range is still chosen automatically); an accuracy it cannot reach is an error.</summary>
    public int? Points { get; init; }

    /// <summary>The largest grid the automatic choice may use.</summary>
    public int MaxPoints { get; init; } = 2049;

    /// <summary>Use the numeric kernel path even where closed forms exist (Gaussian, Bernoulli): for cross-checks.</summary>
    public bool PreferNumeric { get; init; }

    /// <summary>The options every command uses unless told otherwise.</summary>
    public static GridOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(Accuracy >= FinestAccuracy && Accuracy <= 1e-2))
            throw new ArgumentOutOfRangeException(nameof(Accuracy), $"the grid accuracy must lie in [{FinestAccuracy}, 0.01]; got {Accuracy}.");
        if (Points is int p && (p < 3 || p > 8193))
            throw new ArgumentOutOfRangeException(nameof(Points), $"the number of grid points must lie in [3, 8193]; got {p}.");
        if (MaxPoints < 9) throw new ArgumentOutOfRangeException(nameof(MaxPoints), $"the maximum grid must have at least 9 points; got {MaxPoints}.");
    }
}
