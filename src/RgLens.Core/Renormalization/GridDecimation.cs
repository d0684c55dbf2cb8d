using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Renormalization;

/// <summary>
/// Decimation of any chain family on a grid (docs/theory.md, "Decimation and its fixed points"): the kept sites form the chain of the
/// kernel T_b = T^b, which for most families leaves the family; it is projected back by the
/// M-projection, the member whose infinite chain has the same E T(x) and E x_i x_{i+1} as the
/// renormalized chain (marginal ψ², pair ψ(x) T_b(x, y) ψ(y)/λ^b from the Perron pair ψ of T).
/// Reported per step:
/// <list type="bullet">
/// <item>the projection residual, the KL divergence rate between the renormalized chain P and the
/// projected chain Q: D = Σ_xy P(x, y) ln[T_b(x, y)/T_θ'(x, y)] − ln λ_0(T_b) + ln λ_0(θ') (the ψ terms
/// cancel by stationarity), 0 for families closed under decimation (Ising, Bernoulli, Gaussian) up to
/// rounding; negative rounding residues are reported as 0;</item>
/// <item>g = b ln λ_0(θ) − ln λ_0(θ'), the constant per renormalized bond that keeps the free energy
/// per site (T_b = e^g T_θ' exactly when the family is closed);</item>
/// <item>the grid, chosen for θ and widened or refined until it also serves θ'.</item>
/// </list>
/// The stable fixed point is the single-site M-projection of θ0's marginal (K* = 0); decimation
/// preserves single-site marginals, and the projection preserves E T(x), so the flow keeps the
/// marginal's E T(x) at every step and converges there. No finite unstable fixed point is reported
/// for φ⁴, Poisson and Gamma chains (docs/families.md).
/// </summary>
public sealed class GridDecimation : DecimationMap
{
    private readonly ChainFamily _family;

    /// <summary>The map of <paramref name="family"/> with the given grid options.</summary>
    public GridDecimation(ChainFamily family, GridOptions? grid = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        _family = family;
        Options = grid ?? GridOptions.Default;
        Options.Validate();
    }

    /// <summary>The grid options.</summary>
    public GridOptions Options { get; }

    /// <inheritdoc />
    public override ChainFamily Family => _family;

    /// <inheritdoc />
    protected override RgStep StepCore(ChainParameters theta, int scaleFactor, int stepIndex)
    {
        var selection = GridSelector.Select(theta, Options);
        var grid = selection.Grid;
        double accuracy = selection.Report.Accuracy;
        for (int attempt = 0; ; attempt++)
        {
            var kernel = new GridKernel(theta, grid);
            var (logLambda, psi) = kernel.Leading();
            var target = kernel.Moments(logLambda, psi, scaleFactor);
            var projection = MomentMatching.Solve(_family, target, grid, theta);
            var next = projection.Parameters;
            var check = GridSelector.Select(next, Options);
            if (Options.Points is not null || grid.Covers(check.Grid) || attempt == 2)
            {
                accuracy = Math.Max(accuracy, check.Report.Accuracy);
                double residual = Residual(kernel, logLambda, psi, scaleFactor, projection);
                var report = selection.Report with { Points = grid.Count, Lower = grid.Nodes[0], Upper = grid.Nodes[^1], Accuracy = accuracy };
                return new RgStep(stepIndex, next, scaleFactor * logLambda - projection.LogLambda, residual, report);
            }
            grid = QuadratureGrid.Union(grid, check.Grid);
        }
    }

    /// <summary>D = Σ P ln B̂ − 2 Σ π ln u' − K' Σ P x y + ln λ' with B̂ = (A/λ)^b, P = ψ B̂ ψ, π = ψ².</summary>
    private static double Residual(GridKernel kernel, double logLambda, double[] psi, int b, MomentMatching.Result projection)
    {
        int n = kernel.Size;
        double scale = Math.Exp(kernel.Shift - logLambda);
        var normalized = new double[kernel.Matrix.Length];
        for (int i = 0; i < normalized.Length; i++) normalized[i] = kernel.Matrix[i] * scale;
        var power = DenseMatrix.SymmetricPower(normalized, n, b);
        double[] x = kernel.Grid.Nodes, logU = projection.Kernel.LogU;
        double k = projection.Parameters.NeighbourCoupling;
        double d = projection.LogLambda;
        for (int i = 0; i < n; i++)
        {
            d -= 2 * psi[i] * psi[i] * logU[i];
            if (psi[i] == 0) continue;
            for (int j = 0; j < n; j++)
            {
                double bij = power[i * n + j];
                double pij = psi[i] * bij * psi[j];
                if (pij <= 0) continue;
                d += pij * (Math.Log(bij) - k * x[i] * x[j]);
            }
        }
        return Math.Max(d, 0.0);
    }

    /// <inheritdoc />
    protected override ChainParameters StableFixedPointCore(ChainParameters theta0)
    {
        var selection = GridSelector.Select(theta0, Options);
        var grid = selection.Grid;
        var kernel = new GridKernel(theta0, grid);
        var (logLambda, psi) = kernel.Leading();
        var target = kernel.Moments(logLambda, psi);
        var start = _family.FromNatural(theta0.NaturalParameters(), 0);
        for (int attempt = 0; ; attempt++)
        {
            var star = MomentMatching.Solve(_family, target, grid, start, fixedCoupling: 0).Parameters;
            if (Options.Points is not null) return star;
            var check = GridSelector.Select(star, Options);
            if (grid.Covers(check.Grid) || attempt == 2) return star;
            grid = QuadratureGrid.Union(grid, check.Grid);
            kernel = new GridKernel(theta0, grid);
            (logLambda, psi) = kernel.Leading();
            target = kernel.Moments(logLambda, psi);
            start = star;
        }
    }

    /// <summary>
    /// None for φ⁴, Poisson and Gamma chains: their infinite correlation length lies at the edge of
    /// the domain (K → ∞ for φ⁴; never for K ≤ 0), not at a finite fixed point of the projected map.
    /// Families with closed forms report theirs through their own maps.
    /// </summary>
    public override IReadOnlyList<FixedPointReport> UnstableFixedPoints(int scaleFactor)
    {
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        return _family switch
        {
            IsingFamily => IsingDecimation.Instance.UnstableFixedPoints(scaleFactor),
            GaussianFamily => GaussianDecimation.Instance.UnstableFixedPoints(scaleFactor),
            BernoulliFamily => BernoulliDecimation.Instance.UnstableFixedPoints(scaleFactor),
            _ => [],
        };
    }
}
