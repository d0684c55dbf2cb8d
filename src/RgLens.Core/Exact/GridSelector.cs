using RgLens.Models;

namespace RgLens.Exact;

/// <summary>
/// Chooses the grid of θ to a requested accuracy (docs/families.md, "Grids"). The quantities
/// watched are those of the infinite chain: ln λ_0 (ln Z per site), E T(x) and E x_i x_{i+1}.
/// Starting from <see cref="GridHints"/>, the range is widened while the outermost nodes of the bulk
/// or end-site marginal carry more than 10⁻³ of the accuracy (weighted by 1 + |T(x)| + x²), and
/// trimmed where whole stretches carry nothing; the spacing is halved until halving changes no
/// quantity by more than the accuracy; finally the range is widened by a fifth on each side and the
/// change checked. The reported accuracy is the larger of the two changes; exponential
/// convergence makes it a conservative estimate of the error of the chosen grid.
/// </summary>
internal static class GridSelector
{
    /// <summary>A chosen grid and its report.</summary>
    public sealed record Selection(QuadratureGrid Grid, GridReport Report);

    /// <summary>The grid of <paramref name="p"/> for <paramref name="options"/>.</summary>
    /// <exception cref="RgLensException">The accuracy needs more than <see cref="GridOptions.MaxPoints"/> points, or a fixed --grid cannot reach it.</exception>
    public static Selection Select(ChainParameters p, GridOptions options)
    {
        double target = options.Accuracy;
        double depth = -Math.Log(target * 1e-4);
        var grid = GridHints.Initial(p, depth);
        if (grid.Coordinate == GridCoordinate.States)
            return new Selection(grid, new GridReport(grid.Count, grid.Nodes.Min(), grid.Nodes.Max(), grid.CoordinateName, 0, target));
        grid = AdaptRange(p, grid, target, options.MaxPoints);
        double accuracy;
        while (true)
        {
            double spacingChange = 0;
            if (grid.IsContinuous)
            {
                var finer = grid.Refined();
                if (finer.Count > 2 * options.MaxPoints) throw TooFine(p, options, grid.Count, double.NaN);
                spacingChange = Distance(Quantities(p, grid), Quantities(p, finer));
                if (spacingChange > target)
                {
                    if (finer.Count > options.MaxPoints) throw TooFine(p, options, grid.Count, spacingChange);
                    grid = AdaptRange(p, finer, target, options.MaxPoints);
                    continue;
                }
            }
            int cells = Math.Max(3, grid.Count / 5);
            var wider = grid.Widened(grid.Coordinate == GridCoordinate.Counts ? 0 : cells, cells);
            double rangeChange = Distance(Quantities(p, grid), Quantities(p, wider));
            if (rangeChange > target / 2)
            {
                if (wider.Count > options.MaxPoints) throw TooFine(p, options, grid.Count, rangeChange);
                grid = wider;
                continue;
            }
            accuracy = Math.Max(spacingChange, rangeChange);
            break;
        }
        if (options.Points is int forced && forced != grid.Count)
        {
            grid = grid.WithPoints(forced);
            var q = Quantities(p, grid);
            double spacingChange = grid.IsContinuous ? Distance(q, Quantities(p, grid.Refined())) : 0;
            int cells = Math.Max(3, grid.Count / 5);
            double rangeChange = Distance(q, Quantities(p, grid.Widened(grid.Coordinate == GridCoordinate.Counts ? 0 : cells, cells)));
            accuracy = Math.Max(spacingChange, rangeChange);
            if (accuracy > target)
                throw new RgLensException($"a {forced}-point grid reaches accuracy {accuracy:G2} for {p.Describe()}, worse than the requested {target:G2}; use more points or leave out --grid.");
        }
        return new Selection(grid, new GridReport(grid.Count, grid.Nodes[0], grid.Nodes[^1], grid.CoordinateName, accuracy, target));
    }

    /// <summary>
    /// The grid and spectrum for a finite chain: <see cref="Select"/>, then the range widened while
    /// the finite chain's own site marginals (a ring's site; an open chain's end and middle sites)
    /// put weight on the outermost nodes — short rings with strong coupling are wider than the
    /// infinite chain. The reported accuracy (of the infinite-chain quantities) is kept: widening
    /// at the same spacing does not lower it.
    /// </summary>
    public static (Selection Selection, TransferSpectrum Spectrum) ForChain(ChainParameters p, GridOptions options, int length, Models.Boundary boundary)
    {
        var selection = Select(p, options);
        var grid = selection.Grid;
        double threshold = options.Accuracy * 1e-3;
        for (int it = 0; ; it++)
        {
            var spectrum = GridSpectrum.Build(p, grid);
            if (grid.Coordinate == GridCoordinate.States || it == 20) return (Relabel(selection, grid), spectrum);
            var weights = FiniteTailWeights(spectrum, new GridKernel(p, grid), length, boundary);
            int n = grid.Count, edge = Math.Max(2, n / 32);
            double low = Sum(weights, 0, edge), high = Sum(weights, n - edge, edge);
            bool counts = grid.Coordinate == GridCoordinate.Counts;
            int grow = Math.Max(2, n / 4);
            int addLow = !counts && low > threshold ? grow : 0, addHigh = high > threshold ? grow : 0;
            if (addLow + addHigh == 0) return (Relabel(selection, grid), spectrum);
            if (n + addLow + addHigh > options.MaxPoints)
                throw new RgLensException($"the {p.Family.Name} chain {p.Describe()} of N={length} needs more than {options.MaxPoints} grid points to hold its tails; relax --accuracy.");
            grid = grid.Widened(addLow, addHigh);
        }
    }

    private static Selection Relabel(Selection s, QuadratureGrid grid) =>
        ReferenceEquals(s.Grid, grid) ? s : new Selection(grid, s.Report with { Points = grid.Count, Lower = grid.Nodes[0], Upper = grid.Nodes[^1] });

    /// <summary>Per node: the largest of the finite chain's site marginals (ring: any site; open: end and middle), weighted as in the range search.</summary>
    private static double[] FiniteTailWeights(TransferSpectrum s, GridKernel kernel, int length, Models.Boundary boundary)
    {
        int n = s.States;
        var result = new double[n];
        void Add(double[] m)
        {
            double total = m.Sum(Math.Abs);
            for (int j = 0; j < n; j++) result[j] = Math.Max(result[j], Math.Abs(m[j]) / total);
        }
        if (boundary == Models.Boundary.Periodic)
        {
            var m = new double[n];
            for (int k = 0; k < n; k++)
            {
                double r = s.RatioPower(k, length);
                if (r == 0) continue;
                for (int j = 0; j < n; j++) m[j] += r * s.Vectors[j, k] * s.Vectors[j, k];
            }
            Add(m);
        }
        else
        {
            var a = s.BoundaryCoefficients();
            double[] Side(int power)
            {
                var v = new double[n];
                for (int k = 0; k < n; k++)
                {
                    double c = a[k] * s.RatioPower(k, power);
                    if (c == 0) continue;
                    for (int j = 0; j < n; j++) v[j] += c * s.Vectors[j, k];
                }
                return v;
            }
            var end = Side(length - 1);
            Add(end.Select((v, j) => v * s.Boundary[j]).ToArray());
            int middle = (length + 1) / 2;
            var left = Side(middle - 1);
            var right = Side(length - middle);
            Add(left.Zip(right, (l, r) => l * r).ToArray());
        }
        int d = kernel.Statistics.GetLength(0);
        for (int j = 0; j < n; j++)
        {
            double x = kernel.Grid.Nodes[j], scale = 1 + x * x;
            for (int k = 0; k < d; k++) scale += Math.Abs(kernel.Statistics[k, j]);
            result[j] *= scale;
        }
        return result;
    }

    /// <summary>ln λ_0, E T, E x x' of the infinite chain on the grid.</summary>
    public static double[] Quantities(ChainParameters p, QuadratureGrid grid) => new GridKernel(p, grid).Quantities();

    /// <summary>max_k |a_k − b_k| / max(1, |a_k|): absolute for quantities of order one, relative beyond.</summary>
    public static double Distance(double[] a, double[] b)
    {
        double d = 0;
        for (int k = 0; k < a.Length; k++) d = Math.Max(d, Math.Abs(a[k] - b[k]) / Math.Max(1, Math.Abs(a[k])));
        return double.IsNaN(d) ? double.PositiveInfinity : d;
    }

    /// <summary>Widens the range where the tails carry weight and trims it where they carry none, at the grid's spacing.</summary>
    private static QuadratureGrid AdaptRange(ChainParameters p, QuadratureGrid grid, double target, int maxPoints)
    {
        double threshold = target * 1e-3;
        for (int it = 0; it < 60; it++)
        {
            var kernel = new GridKernel(p, grid);
            var (_, psi) = kernel.Leading();
            var tail = TailWeights(kernel, psi);
            int n = grid.Count, edge = Math.Max(2, n / 32);
            double lowTail = 0, highTail = 0;
            for (int j = 0; j < edge; j++)
            {
                lowTail += tail[j];
                highTail += tail[n - 1 - j];
            }
            bool counts = grid.Coordinate == GridCoordinate.Counts;
            int grow = Math.Max(2, n / 4);
            int addLow = !counts && lowTail > threshold ? grow : 0;
            int addHigh = highTail > threshold ? grow : 0;
            if (addLow + addHigh > 0)
            {
                if (n + addLow + addHigh > maxPoints) throw new RgLensException($"the {p.Family.Name} chain {p.Describe()} needs more than {maxPoints} grid points to hold its tails at accuracy {target:G2}; relax --accuracy.");
                grid = grid.Widened(addLow, addHigh);
                continue;
            }
            // Trim stretches (a fifth of the grid at most per pass) whose weight is far below the threshold.
            int cut = Math.Max(1, n / 5);
            int trimLow = !counts && Sum(tail, 0, cut) < threshold * 1e-6 ? cut : 0;
            int trimHigh = Sum(tail, n - cut, cut) < threshold * 1e-6 ? cut : 0;
            if (trimLow + trimHigh == 0 || n - trimLow - trimHigh < 9) return grid;
            grid = grid.Widened(-trimLow, -trimHigh);
        }
        return grid;
    }

    /// <summary>Per node: max(bulk marginal ψ², end-site marginal ∝ u ψ) × (1 + Σ|T_k(x)| + x²).</summary>
    private static double[] TailWeights(GridKernel kernel, double[] psi)
    {
        int n = kernel.Size, d = kernel.Statistics.GetLength(0);
        double max = kernel.LogU.Max();
        var end = new double[n];
        double endSum = 0;
        for (int j = 0; j < n; j++) endSum += end[j] = Math.Exp(kernel.LogU[j] - max) * psi[j];
        var w = new double[n];
        for (int j = 0; j < n; j++)
        {
            double x = kernel.Grid.Nodes[j], scale = 1 + x * x;
            for (int k = 0; k < d; k++) scale += Math.Abs(kernel.Statistics[k, j]);
            w[j] = Math.Max(psi[j] * psi[j], end[j] / endSum) * scale;
        }
        return w;
    }

    private static double Sum(double[] v, int start, int count)
    {
        double s = 0;
        for (int i = start; i < start + count; i++) s += v[i];
        return s;
    }

    private static RgLensException TooFine(ChainParameters p, GridOptions options, int points, double reached) =>
        new($"the {p.Family.Name} chain {p.Describe()} needs more than {options.MaxPoints} grid points to reach accuracy {options.Accuracy:G2}"
            + (double.IsNaN(reached) ? "" : $" (reached {reached:G2} with {points})") + "; relax --accuracy.");
}
