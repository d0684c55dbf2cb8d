namespace RgLens.Exact;

/// <summary>How a grid discretizes the single-site support (docs/families.md, "Grids").</summary>
internal enum GridCoordinate
{
    /// <summary>The exact finite support (spins, occupations): weights 1, nothing to converge.</summary>
    States,

    /// <summary>The counts L … M (Poisson): weights 1; only the truncation window is chosen.</summary>
    Counts,

    /// <summary>Uniform in x on ℝ: the trapezoid rule with weight Δ (exponentially convergent for analytic, decaying integrands).</summary>
    Linear,

    /// <summary>Uniform in t = ln x on (0, ∞): the trapezoid rule in t, weight Δ·x.</summary>
    Logarithmic,
}

/// <summary>
/// The state points x_j and quadrature weights w_j on which a transfer kernel is discretized
/// (docs/theory.md, "Transfer matrices and exact oracles"): T(x_j, x_k) = √(w_j ν(x_j)) e^{η·(T(x_j)+T(x_k))/2 + K x_j x_k} √(w_k ν(x_k)).
/// Continuous grids are uniform in their coordinate t (x = t or x = e^t) with the infinite-interval
/// trapezoid weights, so a grid shifted by any offset is an equally accurate rule (the samplers use
/// that), refining halves the spacing, and widening adds whole cells.
/// </summary>
internal sealed class QuadratureGrid
{
    private QuadratureGrid(GridCoordinate coordinate, double start, double spacing, double[] nodes, double[] logWeights)
    {
        Coordinate = coordinate;
        Start = start;
        Spacing = spacing;
        Nodes = nodes;
        LogWeights = logWeights;
    }

    public GridCoordinate Coordinate { get; }

    /// <summary>The first node in the uniform coordinate t.</summary>
    public double Start { get; }

    /// <summary>Δ in the uniform coordinate (1 for counts, 0 for exact states).</summary>
    public double Spacing { get; }

    /// <summary>x_j.</summary>
    public double[] Nodes { get; }

    /// <summary>ln w_j.</summary>
    public double[] LogWeights { get; }

    public int Count => Nodes.Length;

    public bool IsContinuous => Coordinate is GridCoordinate.Linear or GridCoordinate.Logarithmic;

    /// <summary>The coordinate t of node j (before any offset).</summary>
    public double CoordinateOf(int j) => Start + j * Spacing;

    /// <summary>The value x of coordinate t: t itself, or e^t on a logarithmic grid.</summary>
    public double ValueAt(double t) => Coordinate == GridCoordinate.Logarithmic ? Math.Exp(t) : t;

    /// <summary>ln w at coordinate t (the same formula for any offset).</summary>
    public double LogWeightAt(double t) => Coordinate == GridCoordinate.Logarithmic ? Math.Log(Spacing) + t : Math.Log(Spacing);

    public static QuadratureGrid States(params double[] values) => new(GridCoordinate.States, 0, 0, values, new double[values.Length]);

    /// <summary>The counts <paramref name="min"/> … <paramref name="max"/> (0 ≤ min &lt; max).</summary>
    public static QuadratureGrid Counts(int min, int max)
    {
        min = Math.Max(0, min);
        var nodes = Enumerable.Range(min, max - min + 1).Select(i => (double)i).ToArray();
        return new(GridCoordinate.Counts, min, 1, nodes, new double[nodes.Length]);
    }

    /// <summary>A uniform grid of <paramref name="points"/> nodes from <paramref name="lower"/> to <paramref name="upper"/> in the coordinate.</summary>
    public static QuadratureGrid Uniform(GridCoordinate coordinate, double lower, double upper, int points)
    {
        double spacing = (upper - lower) / (points - 1);
        return Spaced(coordinate, lower, spacing, points);
    }

    private static QuadratureGrid Spaced(GridCoordinate coordinate, double start, double spacing, int points)
    {
        var nodes = new double[points];
        var logW = new double[points];
        var grid = new QuadratureGrid(coordinate, start, spacing, nodes, logW);
        for (int j = 0; j < points; j++)
        {
            double t = start + j * spacing;
            nodes[j] = grid.ValueAt(t);
            logW[j] = grid.LogWeightAt(t);
        }
        return grid;
    }

    /// <summary>The coordinate of the last node.</summary>
    public double End => CoordinateOf(Count - 1);

    /// <summary>The same range with 2n − 1 nodes (half the spacing); counts and states are returned as they are.</summary>
    public QuadratureGrid Refined() => IsContinuous ? Spaced(Coordinate, Start, Spacing / 2, 2 * Count - 1) : this;

    /// <summary>The same range with exactly <paramref name="points"/> nodes.</summary>
    public QuadratureGrid WithPoints(int points) => Coordinate switch
    {
        GridCoordinate.Counts => Counts((int)Start, (int)Start + points - 1),
        GridCoordinate.States => this,
        _ => Uniform(Coordinate, Start, End, points),
    };

    /// <summary>The range extended by <paramref name="lowerCells"/> and <paramref name="upperCells"/> cells at the same spacing (negative: trimmed).</summary>
    public QuadratureGrid Widened(int lowerCells, int upperCells)
    {
        if (Coordinate == GridCoordinate.States) return this;
        if (Coordinate == GridCoordinate.Counts)
        {
            int lo = Math.Max(0, (int)Start - lowerCells);
            return Counts(lo, Math.Max(lo + 1, (int)End + upperCells));
        }
        return Spaced(Coordinate, Start - lowerCells * Spacing, Spacing, Math.Max(3, Count + lowerCells + upperCells));
    }

    /// <summary>The smallest uniform grid with at most this spacing that covers both grids' ranges.</summary>
    public static QuadratureGrid Union(QuadratureGrid a, QuadratureGrid b)
    {
        if (a.Coordinate != b.Coordinate) throw new ArgumentException("grids in different coordinates.");
        if (a.Coordinate == GridCoordinate.States) return a;
        if (a.Coordinate == GridCoordinate.Counts) return Counts((int)Math.Min(a.Start, b.Start), (int)Math.Max(a.End, b.End));
        double lo = Math.Min(a.Start, b.Start), hi = Math.Max(a.End, b.End), spacing = Math.Min(a.Spacing, b.Spacing);
        int points = (int)Math.Ceiling((hi - lo) / spacing - 1e-9) + 1;
        return Uniform(a.Coordinate, lo, hi, points);
    }

    /// <summary>Whether this grid covers <paramref name="other"/>'s range at its spacing or finer.</summary>
    public bool Covers(QuadratureGrid other) => Coordinate switch
    {
        GridCoordinate.States => true,
        GridCoordinate.Counts => Start <= other.Start && End >= other.End,
        _ => Start <= other.Start + 1e-12 && End >= other.End - 1e-12 && Spacing <= other.Spacing * (1 + 1e-12),
    };

    public string CoordinateName => Coordinate switch
    {
        GridCoordinate.States => "states",
        GridCoordinate.Counts => "counts",
        GridCoordinate.Linear => "x",
        _ => "ln x",
    };
}
