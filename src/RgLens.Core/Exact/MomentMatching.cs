using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Exact;

/// <summary>
/// The M-projection onto a chain family (docs/theory.md, "Decimation and its fixed points"): the member θ whose infinite chain has given
/// expected sufficient statistics m = (E T(x_i), E x_i x_{i+1}). It maximizes the concave
/// F(θ) = η·m_T + K m_xx − ln λ_0(θ), whose gradient is m − E_θ[T, x x'], so the maximizer matches
/// the moments and minimizes the KL divergence rate from any chain with those moments. Solved on a
/// grid, where the discretized family is itself an exponential family (F stays concave), by damped
/// Newton in natural parameters scaled by the statistics' spreads, the Hessian by central
/// differences of the exact gradient. With <c>fixedCoupling</c> K is held (K = 0: the single-site
/// projection of the stable fixed point). For families with K ≤ 0 (Poisson, Gamma) the maximum over
/// the domain lies at K = 0 when the target's pair moment is not below the independent value
/// (∂F/∂K ≥ 0 there), and is interior otherwise.
/// </summary>
internal static class MomentMatching
{
    /// <summary>Stop when every gradient component is below this many spreads of its statistic.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Grids with more points are solved on a grid four times coarser first, then polished (two-level Newton).</summary>
    public const int CoarseThreshold = 160;

    /// <summary>The projection, the Perron pair of its kernel on the grid, and the scaled Hessian at the solution.</summary>
    public sealed record Result(ChainParameters Parameters, double LogLambda, double[] Psi, GridKernel Kernel, double[] Scale, double[] Hessian);

    public static Result Solve(ChainFamily family, double[] target, QuadratureGrid grid, ChainParameters start, double? fixedCoupling = null)
    {
        int d = family.StatisticCount;
        double[] eta0 = start.NaturalParameters();
        double k0 = fixedCoupling ?? Math.Min(start.NeighbourCoupling, family.MaximumCoupling);
        if (fixedCoupling is null && family.MaximumCoupling == 0)
        {
            // K ≤ 0: solve at the boundary first; stay there when the target asks for K ≥ 0.
            var atZero = Solve(family, target, grid, family.FromNatural(eta0, 0), 0);
            double[] m0 = atZero.Kernel.Moments(atZero.LogLambda, atZero.Psi);
            double spreadPair = Spreads(atZero.Kernel, atZero.Psi)[d];
            if (target[d] >= m0[d] - Tolerance * spreadPair) return atZero;
            eta0 = atZero.Parameters.NaturalParameters();
            // Start strictly inside K < 0, at the first-order estimate ΔE[x x'] / Var(x x').
            k0 = Math.Min((target[d] - m0[d]) / (spreadPair * spreadPair), -1e-12);
        }
        return Core(family, target, grid, eta0, k0, fixedCoupling);
    }

    /// <summary>Newton from (η0, K0); on a fine grid, from the solution of a grid four times coarser, reusing its Hessian.</summary>
    private static Result Core(ChainFamily family, double[] target, QuadratureGrid grid, double[] eta0, double k0, double? fixedCoupling)
    {
        int d = family.StatisticCount;
        bool free = fixedCoupling is null;
        int dim = d + (free ? 1 : 0);
        Result? coarse = null;
        var coarser = grid.Count > CoarseThreshold ? Coarser(family, grid, eta0, k0) : null;
        if (coarser is not null)
        {
            coarse = Core(family, target, coarser, eta0, k0, fixedCoupling);
            eta0 = coarse.Parameters.NaturalParameters();
            k0 = coarse.Parameters.NeighbourCoupling;
        }
        double[] scale;
        double[]? warm = null;
        if (coarse is not null) scale = coarse.Scale;
        else
        {
            // The spread of each statistic under the start's marginal, so that a unit step in y moves every moment alike.
            var startKernel = new GridKernel(family.FromNatural(eta0, k0), grid);
            var (_, psi0) = startKernel.Leading();
            var spread = Spreads(startKernel, psi0);
            scale = new double[dim];
            for (int k = 0; k < d; k++) scale[k] = spread[k];
            if (free) scale[d] = spread[d];
            warm = psi0;
        }
        ChainParameters Point(double[] y)
        {
            var eta = new double[d];
            for (int k = 0; k < d; k++) eta[k] = y[k] / scale[k];
            return family.FromNatural(eta, free ? y[d] / scale[d] : fixedCoupling!.Value);
        }
        (ChainParameters P, double L, double[] Psi, GridKernel K)? last = null;
        double ValueAndGradient(double[] y, double[] g)
        {
            var p = Point(y);
            if (!p.IsInDomain || p.NeighbourCoupling > family.MaximumCoupling) return double.NegativeInfinity;
            var kernel = new GridKernel(p, grid);
            var (logLambda, psi) = kernel.Leading(warm);
            var m = kernel.Moments(logLambda, psi);
            double f = -logLambda;
            double[] eta = p.NaturalParameters();
            for (int k = 0; k < d; k++)
            {
                f += eta[k] * target[k];
                g[k] = (target[k] - m[k]) / scale[k];
            }
            if (free)
            {
                f += p.NeighbourCoupling * target[d];
                g[d] = (target[d] - m[d]) / scale[d];
            }
            last = (p, logLambda, psi, kernel);
            warm = psi;
            return f;
        }
        var y0 = new double[dim];
        for (int k = 0; k < d; k++) y0[k] = eta0[k] * scale[k];
        if (free) y0[d] = k0 * scale[d];
        var steps = Enumerable.Repeat(1e-4, dim).ToArray();
        var hessian = coarse?.Hessian ?? new double[dim * dim];
        bool chord = coarse is not null;
        Action<double[]>? project = free && family.MaximumCoupling == 0 ? y => y[d] = Math.Min(y[d], 0) : null;
        void Hessian(double[] y, double[] h)
        {
            if (chord)
            {
                Array.Copy(hessian, h, h.Length);
                return;
            }
            var keep = last;
            ConcaveMaximizer.DifferenceHessian(ValueAndGradient, y, steps, h);
            Array.Copy(h, hessian, h.Length);
            last = keep;
            warm = keep!.Value.Psi;
        }
        var solution = ConcaveMaximizer.Maximize(ValueAndGradient, Hessian, y0, Tolerance, divergence: 1e15, maxIterations: chord ? 12 : 100, project: project);
        if (chord && !solution.Converged)
        {
            // The coarse grid's curvature was not good enough: Newton with this grid's own Hessian.
            chord = false;
            solution = ConcaveMaximizer.Maximize(ValueAndGradient, Hessian, solution.Argmax, Tolerance, divergence: 1e15, maxIterations: 100, project: project);
        }
        var g0 = new double[dim];
        ValueAndGradient(solution.Argmax, g0);
        if (g0.Max(Math.Abs) > 1e-9)
            throw new RgLensException($"the projection onto the {family.Name} family did not converge (moment mismatch {g0.Max(Math.Abs):G2} spreads after {solution.Iterations} Newton steps); the target moments may lie outside what the family can represent.");
        if (!chord && hessian.All(v => v == 0)) Hessian(solution.Argmax, hessian);
        var (pFinal, lFinal, psiFinal, kFinal) = last!.Value;
        return new Result(pFinal, lFinal, psiFinal, kFinal, scale, hessian);
    }

    /// <summary>
    /// The coarse level of a large grid: a continuous grid with a quarter of the points over the same
    /// range; a counts window cut to where the start's marginal carries mass above 1e-17 (null when that
    /// does not make it smaller).
    /// </summary>
    private static QuadratureGrid? Coarser(ChainFamily family, QuadratureGrid grid, double[] eta0, double k0)
    {
        if (grid.IsContinuous) return grid.WithPoints((grid.Count - 1) / 4 + 1);
        if (grid.Coordinate != GridCoordinate.Counts) return null;
        var (_, psi) = new GridKernel(family.FromNatural(eta0, k0), grid).Leading();
        int lo = 0, hi = grid.Count - 1;
        double tail = 0;
        while (lo < hi && (tail += psi[lo] * psi[lo]) < 1e-17) lo++;
        tail = 0;
        while (hi > lo && (tail += psi[hi] * psi[hi]) < 1e-17) hi--;
        lo = Math.Max(0, lo - 2);
        hi = Math.Min(grid.Count - 1, hi + 2);
        return hi - lo + 1 <= grid.Count / 2 ? QuadratureGrid.Counts((int)grid.Nodes[lo], (int)grid.Nodes[hi]) : null;
    }

    /// <summary>The spreads (standard deviations under the marginal ψ²) of T_k, and of x² for the pair statistic.</summary>
    private static double[] Spreads(GridKernel kernel, double[] psi)
    {
        int d = kernel.Statistics.GetLength(0), n = kernel.Size;
        var s = new double[d + 1];
        for (int k = 0; k <= d; k++)
        {
            double mean = 0, second = 0;
            for (int j = 0; j < n; j++)
            {
                double x = kernel.Grid.Nodes[j];
                double v = k < d ? kernel.Statistics[k, j] : x * x;
                mean += psi[j] * psi[j] * v;
                second += psi[j] * psi[j] * v * v;
            }
            s[k] = Math.Sqrt(Math.Max(second - mean * mean, 0));
            if (!(s[k] > 1e-300)) s[k] = 1;
        }
        return s;
    }
}
