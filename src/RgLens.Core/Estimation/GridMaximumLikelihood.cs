using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Estimation;

/// <summary>
/// Exact maximum likelihood through the transfer operator on a grid (docs/theory.md, "Estimators"), for any
/// family: maximize ℓ(η, K) = η·S̄ + K B̄ − ln Z_N(η, K) per site, concave in the natural
/// parameters, with ln Z_N and the exact expectations E S, E B of the data's N and boundary from
/// the grid's spectrum (<see cref="SpectralChain"/>). Newton in natural parameters scaled by the
/// data's spreads, with the Hessian by central differences of the exact gradient; for K ≤ 0
/// families the maximum over the domain is found as in <see cref="MomentMatching"/> (at K = 0 when
/// ∂ℓ/∂K ≥ 0 there, interior otherwise, projected Newton).
/// </summary>
internal sealed class GridMaximumLikelihood
{
    private readonly ChainFamily _family;
    private readonly QuadratureGrid _grid;
    private readonly int _length;
    private readonly Boundary _boundary;
    private readonly double[] _scale;
    private readonly double[,] _nodeStatistics;

    public GridMaximumLikelihood(ChainFamily family, QuadratureGrid grid, int length, Boundary boundary, double[] spreads)
    {
        _family = family;
        _grid = grid;
        _length = length;
        _boundary = boundary;
        _scale = spreads.Select(s => s > 0 ? s : 1).ToArray();
        int d = family.StatisticCount;
        _nodeStatistics = new double[d, grid.Count];
        var t = new double[d];
        for (int j = 0; j < grid.Count; j++)
        {
            family.Statistics(grid.Nodes[j], t);
            for (int k = 0; k < d; k++) _nodeStatistics[k, j] = t[k];
        }
    }

    private int Bonds => _boundary == Boundary.Periodic ? _length : _length - 1;

    /// <summary>(E S_0 … E S_{d−1}, E B) and ln Z_N at θ.</summary>
    public (double[] Expected, double LogZ) Expectations(ChainParameters theta)
    {
        var chain = new SpectralChain(GridSpectrum.Build(theta, _grid));
        int d = _family.StatisticCount;
        var e = new double[d + 1];
        var values = new double[_grid.Count];
        for (int k = 0; k < d; k++)
        {
            for (int j = 0; j < values.Length; j++) values[j] = _nodeStatistics[k, j];
            e[k] = _length * chain.SiteMean(chain.Spectrum.SiteOperator(values), _length, _boundary);
        }
        var x = chain.Spectrum.PointOperator;
        e[d] = Bonds * chain.NeighbourMean(x, x, _length, _boundary);
        return (e, chain.LogPartition(_length, _boundary));
    }

    /// <summary>
    /// The MLE (natural parameters η, then K) from the mean statistics, starting at <paramref name="start"/>;
    /// the natural parameter <paramref name="fixedIndex"/> (if any) is held. Null when it does not converge.
    /// <paramref name="hessian"/>, when given, is used throughout (chord iterations for bootstrap replicates).
    /// </summary>
    public (double[] Natural, double[] Hessian)? Fit(double[] mean, double[] start, int? fixedIndex, double[]? hessian = null)
    {
        int d = _family.StatisticCount;
        bool bounded = _family.MaximumCoupling == 0;
        if (bounded && start[d] >= 0)
        {
            // K ≤ 0 from K = 0: solve there first; stay there when the likelihood still rises towards K > 0.
            var atZero = AtZero(mean, start, fixedIndex);
            if (atZero is null || atZero.Value.Boundary) return atZero?.Fit;
            start = atZero.Value.Inside;
        }
        var fit = FitCore(mean, start, fixedIndex, fixK: false, hessian);
        if (fit is null && bounded)
        {
            // Iterates pinned at K = 0 with the likelihood rising beyond: the maximum over the domain is there.
            var atZero = AtZero(mean, start, fixedIndex);
            if (atZero is { Boundary: true }) return atZero.Value.Fit;
        }
        return fit;
    }

    /// <summary>The fit with K = 0, whether it is the maximum over K ≤ 0, and otherwise a start inside K &lt; 0.</summary>
    private ((double[] Natural, double[] Hessian) Fit, bool Boundary, double[] Inside)? AtZero(double[] mean, double[] start, int? fixedIndex)
    {
        int d = _family.StatisticCount;
        var atZero = FitCore(mean, start, fixedIndex, fixK: true, null);
        if (atZero is null) return null;
        var (e, _) = Expectations(_family.FromNatural(atZero.Value.Natural.AsSpan(0, d), 0));
        bool boundary = mean[d] - e[d] >= -1e-12 * _length * _scale[d];
        var inside = (double[])atZero.Value.Natural.Clone();
        inside[d] = Math.Min((mean[d] - e[d]) / (Bonds * _scale[d] * _scale[d]), -1e-12);
        return (atZero.Value, boundary, inside);
    }

    private (double[] Natural, double[] Hessian)? FitCore(double[] mean, double[] start, int? fixedIndex, bool fixK, double[]? hessian)
    {
        int d = _family.StatisticCount;
        var free = Enumerable.Range(0, d + 1).Where(k => k != fixedIndex && !(fixK && k == d)).ToArray();
        double[] Natural(double[] y)
        {
            var z = (double[])start.Clone();
            if (fixK) z[d] = 0;
            for (int i = 0; i < free.Length; i++) z[free[i]] = y[i] / _scale[free[i]];
            return z;
        }
        double ValueAndGradient(double[] y, double[] g)
        {
            var z = Natural(y);
            var theta = _family.FromNatural(z.AsSpan(0, d), z[d]);
            if (!theta.IsInDomain || z[d] > _family.MaximumCoupling) return double.NegativeInfinity;
            var (e, logZ) = Expectations(theta);
            double f = -logZ;
            for (int k = 0; k <= d; k++) f += z[k] * mean[k];
            for (int i = 0; i < free.Length; i++) g[i] = (mean[free[i]] - e[free[i]]) / (_length * _scale[free[i]]);
            return f / _length;
        }
        var y0 = free.Select(k => start[k] * _scale[k]).ToArray();
        var steps = Enumerable.Repeat(1e-4, free.Length).ToArray();
        if (hessian is not null && hessian.Length != free.Length * free.Length) hessian = null;
        var last = hessian ?? new double[free.Length * free.Length];
        Action<double[], double[]> h = hessian is not null
            ? (_, target) => Array.Copy(hessian, target, target.Length)
            : (y, target) =>
            {
                ConcaveMaximizer.DifferenceHessian(ValueAndGradient, y, steps, target);
                Array.Copy(target, last, target.Length);
            };
        Action<double[]>? project = !fixK && _family.MaximumCoupling == 0 ? y => { int i = Array.IndexOf(free, d); if (i >= 0) y[i] = Math.Min(y[i], 0); } : null;
        var r = ConcaveMaximizer.Maximize(ValueAndGradient, h, y0, 1e-10, divergence: 1e6, maxIterations: hessian is null ? 100 : 40, project: project);
        if (!r.Converged && hessian is not null)
            r = ConcaveMaximizer.Maximize(ValueAndGradient, (y, target) => ConcaveMaximizer.DifferenceHessian(ValueAndGradient, y, steps, target),
                r.Argmax, 1e-10, divergence: 1e6, maxIterations: 100, project: project);
        return r.Converged ? (Natural(r.Argmax), last) : null;
    }
}
