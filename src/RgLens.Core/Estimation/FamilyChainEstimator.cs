using MathNet.Numerics.LinearAlgebra;
using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Fits the chain families without closed forms (φ⁴, Poisson, Gamma, Bernoulli; any family in
/// fact) to data (docs/theory.md, "Estimators"):
/// <list type="bullet">
/// <item><c>mle</c>: exact maximum likelihood through the transfer operator on a grid chosen for the
/// estimate to <see cref="GridAccuracy"/> (<see cref="GridMaximumLikelihood"/>), started from the
/// pseudo-likelihood estimate; percentile bootstrap intervals by re-fitting each replicate's mean
/// statistics (Newton from the estimate with its Hessian);</item>
/// <item><c>pseudo</c>: maximum pseudo-likelihood with exact conditionals
/// (<see cref="FamilyPseudoLikelihood"/>); its replicates are the estimating-function bootstrap
/// (Hu and Kalbfleisch 2000): θ̂ + Ĥ⁻¹ ū*, ū* the mean of resampled per-sample pseudo-scores, which is
/// first-order equivalent to re-fitting and costs one pass over the data.</item>
/// </list>
/// For K ≤ 0 families an estimate pinned at K = 0 (positively correlated data) is reported as 0
/// with a warning. Natural parameters are mapped back to the family's parameters for reporting.
/// </summary>
public static class FamilyChainEstimator
{
    /// <summary>
    /// Accuracy of the grid the likelihood is evaluated on: far below any sampling error (a
    /// standard error of 1e-8 would need ~10¹⁶ samples), and coarser grids keep the bootstrap fast.
    /// </summary>
    public const double GridAccuracy = 1e-8;

    /// <summary>Fits <paramref name="family"/> to <paramref name="data"/> (samples × sites, values in the support).</summary>
    /// <exception cref="DataFormatException">No samples, fewer than 2 sites, or a value outside the family's support.</exception>
    public static ChainFit Fit(ChainFamily family, SampleMatrix<double> data, Boundary boundary, EstimationMethod method, FitOptions? options = null)
    {
        options ??= new FitOptions();
        options.Validate();
        ChainEstimator.RequireChainData(family, data);
        if (options.FixedField is not null && family.Parameters.All(p => p.Name != "h"))
            throw new ArgumentException($"a fixed field applies only to families with a field h; the {family.Name} family has none.", nameof(options));
        int d = family.StatisticCount, dim = d + 1;
        int? fixedIndex = options.FixedField is null ? null : family.LinearStatistic;
        var notes = new List<string>();
        if (options.FixedField is double hf) notes.Add($"h held fixed at {hf}; the other parameters were fitted.");
        var spreads = FamilyStatistics.Spreads(family, data);
        var nan = Enumerable.Repeat(double.NaN, family.Parameters.Count).ToArray();
        if (!(spreads[family.LinearStatistic] > 0))
            return FitAssembler.Assemble(family, method, boundary, data.Rows, data.Columns, nan, [], options, notes,
                (name, _) => $"{name}: no estimate exists: every value in the data is the same (the data lie on the boundary of the model).");
        var start = Start(family, options.FixedField);
        var pl = PseudoLikelihood(family, data, boundary, start, fixedIndex, options, notes);
        if (pl is null)
            return FitAssembler.Assemble(family, method, boundary, data.Rows, data.Columns, nan, [], options, notes,
                (name, _) => $"{name}: the pseudo-likelihood has no finite maximum for these data (they lie on or next to the boundary of the model).");
        if (method == EstimationMethod.PseudoLikelihood)
            return FitAssembler.Assemble(family, method, boundary, data.Rows, data.Columns, pl.Value.Point, pl.Value.Replicates, options, notes, biasWarnings: false);
        var stats = FamilyStatistics.LikelihoodStatistics(family, data, boundary);
        var mle = MaximumLikelihood(family, stats, dim, data.Columns, boundary, spreads, pl.Value.Natural, fixedIndex, options, notes);
        if (mle is null)
            return FitAssembler.Assemble(family, method, boundary, data.Rows, data.Columns, nan, [], options, notes,
                (name, _) => $"{name}: the maximum-likelihood estimate does not exist or did not converge for these data.");
        return FitAssembler.Assemble(family, method, boundary, data.Rows, data.Columns, mle.Value.Point, mle.Value.Replicates, options, notes);
    }

    /// <summary>The family's default member with K = 0 (and the fixed field), in natural parameters.</summary>
    private static double[] Start(ChainFamily family, double? fixedField)
    {
        var values = family.Parameters.Select(p => p.Name == "K" ? 0.0 : p.Name == "h" && fixedField is double f ? f : p.Default).ToArray();
        var p = family.Create(values);
        return [.. p.NaturalParameters(), 0.0];
    }

    private static (double[] Natural, double[] Point, double[][] Replicates)? PseudoLikelihood(ChainFamily family, SampleMatrix<double> data,
        Boundary boundary, double[] start, int? fixedIndex, FitOptions options, List<string> notes)
    {
        int d = family.StatisticCount, dim = d + 1;
        QuadratureGrid? quadrature = family is Phi4Family ? InitialQuadrature(data) : null;
        for (int attempt = 0; ; attempt++)
        {
            var pl = new FamilyPseudoLikelihood(family, data, boundary, SiteConditional.For(family, quadrature));
            bool pinned = false;
            double[]? z;
            if (family.MaximumCoupling == 0)
            {
                // K ≤ 0: fit at K = 0 first; keep it when the pseudo-likelihood still rises towards K > 0.
                z = pl.Fit(start, fixedIndex, fixCoupling: true);
                if (z is null) return null;
                var g = new double[dim];
                pl.Evaluate(z, g, null);
                pinned = g[d] >= 0;
                if (!pinned)
                {
                    var inside = (double[])z.Clone();
                    inside[d] = -1e-6;
                    z = pl.Fit(inside, fixedIndex, fixCoupling: false);
                }
            }
            else z = pl.Fit(start, fixedIndex, fixCoupling: false);
            if (z is null) return null;
            if (quadrature is not null && attempt < 3)
            {
                var better = Phi4Quadrature((Phi4Parameters)family.FromNatural(z.AsSpan(0, d), z[d]), data, boundary, quadrature);
                if (!ReferenceEquals(better, quadrature))
                {
                    quadrature = better;
                    start = z;
                    continue;
                }
            }
            if (pinned) notes.Add("K: the data are positively correlated but the family allows only K <= 0; the estimate is pinned at K = 0 and its interval is [0, 0].");
            var point = family.FromNatural(z.AsSpan(0, d), z[d]).Values();
            var replicates = options.Replicates > 0 ? EstimatingFunctionBootstrap(family, pl, z, fixedIndex, pinned, options) : [];
            return (z, point, replicates);
        }
    }

    /// <summary>Replicates θ̂ + (−N Ĥ)⁻¹ ū* over the free parameters, mapped to the family's parameters.</summary>
    private static double[][] EstimatingFunctionBootstrap(ChainFamily family, FamilyPseudoLikelihood pl, double[] z, int? fixedIndex, bool pinned, FitOptions options)
    {
        int d = family.StatisticCount, dim = d + 1;
        var free = Enumerable.Range(0, dim).Where(q => q != fixedIndex && !(pinned && q == d)).ToArray();
        var gradient = new double[dim];
        var hessian = new double[dim * dim];
        int rows = pl.RowCount, sites = pl.SiteCount;
        var scores = new double[rows * dim];
        pl.Evaluate(z, gradient, hessian, scores);
        var h = Matrix<double>.Build.Dense(free.Length, free.Length, (i, j) => -sites * hessian[free[i] * dim + free[j]]);
        var inverse = h.Inverse();
        var freeScores = new double[rows * free.Length];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < free.Length; i++) freeScores[r * free.Length + i] = scores[r * dim + free[i]];
        return Bootstrap.Replicate(freeScores, free.Length, mean =>
        {
            var step = inverse * Vector<double>.Build.DenseOfArray(mean);
            var zr = (double[])z.Clone();
            for (int i = 0; i < free.Length; i++) zr[free[i]] += step[i];
            zr[d] = Math.Min(zr[d], family.MaximumCoupling);
            return family.FromNatural(zr.AsSpan(0, d), zr[d]).Values();
        }, options.Replicates, options.Seed, options.Threads, options.Cancellation);
    }

    private static (double[] Point, double[][] Replicates)? MaximumLikelihood(ChainFamily family, double[] stats, int dim, int length, Boundary boundary,
        double[] spreads, double[] start, int? fixedIndex, FitOptions options, List<string> notes)
    {
        int d = family.StatisticCount;
        var gridOptions = new GridOptions { Accuracy = GridAccuracy };
        var theta = family.FromNatural(start.AsSpan(0, d), Math.Min(start[d], family.MaximumCoupling));
        var grid = GridSelector.ForChain(theta, gridOptions, length, boundary).Selection.Grid;
        int rows = stats.Length / dim;
        var mean = new double[dim];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < dim; k++) mean[k] += stats[r * dim + k] / rows;
        for (int attempt = 0; ; attempt++)
        {
            var mle = new GridMaximumLikelihood(family, grid, length, boundary, spreads);
            var fit = mle.Fit(mean, start, fixedIndex);
            if (fit is null) return null;
            var z = fit.Value.Natural;
            var estimate = family.FromNatural(z.AsSpan(0, d), z[d]);
            var needed = GridSelector.ForChain(estimate, gridOptions, length, boundary).Selection.Grid;
            if (!grid.Covers(needed) && attempt < 2)
            {
                grid = QuadratureGrid.Union(grid, needed);
                start = z;
                continue;
            }
            if (family.MaximumCoupling == 0 && z[d] == 0)
                notes.Add("K: the maximum-likelihood estimate lies at the domain boundary K = 0 (the data are not negatively correlated).");
            var replicates = options.Replicates > 0
                ? Bootstrap.Replicate(stats, dim, m =>
                {
                    var r = mle.Fit(m, z, fixedIndex, fit.Value.Hessian);
                    return r is null ? Enumerable.Repeat(double.NaN, family.Parameters.Count).ToArray() : family.FromNatural(r.Value.Natural.AsSpan(0, d), r.Value.Natural[d]).Values();
                }, options.Replicates, options.Seed, options.Threads, options.Cancellation)
                : [];
            return (estimate.Values(), replicates);
        }
    }

    /// <summary>A trapezoid grid for φ⁴ conditionals from the data's range: 1.5 max|x| + 1, spacing 1/32 of it.</summary>
    private static QuadratureGrid InitialQuadrature(SampleMatrix<double> data)
    {
        double r = 1.5 * data.Data.Max(Math.Abs) + 1;
        return QuadratureGrid.Uniform(GridCoordinate.Linear, -r, r, 129);
    }

    /// <summary>
    /// The grid every conditional at θ needs: the union of the grids chosen for the single-site members
    /// with the largest |h + K m| of the data and with h; the current grid when it already covers them.
    /// </summary>
    private static QuadratureGrid Phi4Quadrature(Phi4Parameters theta, SampleMatrix<double> data, Boundary boundary, QuadratureGrid current)
    {
        double maxM = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            var row = data.Row(r);
            for (int i = 0; i < row.Length; i++) maxM = Math.Max(maxM, Math.Abs(GaussianChainStatistics.NeighbourSum(row, i, boundary)));
        }
        var options = new GridOptions { Accuracy = 1e-10 };
        var needed = current;
        foreach (double c in new[] { theta.Field, theta.Field + Math.Abs(theta.Coupling) * maxM, theta.Field - Math.Abs(theta.Coupling) * maxM })
        {
            var g = GridSelector.Select(new Phi4Parameters(theta.Quadratic, theta.Quartic, 0, c), options).Grid;
            if (!needed.Covers(g)) needed = QuadratureGrid.Union(needed, g);
        }
        return needed;
    }
}
