using RgLens.Models;

namespace RgLens.Exact;

/// <summary>
/// Exact solution of a chain (docs/theory.md, "Transfer matrices and exact oracles"): ln Z, moments, nearest-neighbour and two-point
/// correlations, correlation length, for finite N (periodic or open) and for the infinite chain.
/// Ising chains use their closed-form transfer-matrix spectrum, Bernoulli chains the same through
/// the Ising mapping, and Gaussian chains their closed forms; the other families use the transfer operator on a quadrature grid (or truncated
/// support) chosen automatically to the accuracy in <see cref="GridOptions"/>, which the result
/// reports.
/// </summary>
public static class ExactSolver
{
    /// <summary>Solves <paramref name="model"/> exactly.</summary>
    /// <exception cref="ModelDomainException">The model is invalid (N &lt; 2, θ outside the domain).</exception>
    /// <exception cref="RgLensException">The grid cannot reach the requested accuracy.</exception>
    public static ExactSolution Solve(ChainModel model, GridOptions? grid = null)
    {
        model.Validated();
        grid ??= GridOptions.Default;
        grid.Validate();
        if (model.Parameters is GaussianParameters g && !grid.PreferNumeric)
            return new ExactSolution(model, GaussianClosedForms.Finite(g, model.Length, model.Boundary), GaussianClosedForms.Infinite(g));
        var (chain, report) = NumericChain(model.Parameters, grid, model);
        var x = chain.Spectrum.PointOperator;
        var x2 = chain.Spectrum.SiteOperator(Square);
        int n = model.Length;
        var b = model.Boundary;
        if (model.Parameters is IsingParameters ising && !grid.PreferNumeric && IsingLogTransfer.Needed(ising.Coupling, ising.Field))
        {
            // |K| ≳ 300: the eigenmode sums cannot resolve 1 ± (λ−/λ+)^N; log-space matrix powers can.
            var (lz, mean, nn) = IsingLogTransfer.Finite(ising.Coupling, ising.Field, n, b);
            return new ExactSolution(model, new ChainObservables(lz, lz / n, mean, 1.0, nn, chain.CorrelationLength()), Infinite(chain), report);
        }
        double logZ = chain.LogPartition(n, b);
        var finite = new ChainObservables(
            logZ, logZ / n,
            chain.SiteMean(x, n, b),
            chain.SiteMean(x2, n, b),
            chain.NeighbourMean(x, x, n, b),
            chain.CorrelationLength());
        return new ExactSolution(model, finite, Infinite(chain), report);
    }

    /// <summary>The infinite chain with parameters <paramref name="parameters"/>.</summary>
    public static ChainObservables SolveInfinite(ChainParameters parameters, GridOptions? grid = null)
    {
        parameters.Validate();
        grid ??= GridOptions.Default;
        if (parameters is GaussianParameters g && !grid.PreferNumeric) return GaussianClosedForms.Infinite(g);
        return Infinite(NumericChain(parameters, grid).Chain);
    }

    /// <summary>⟨x_i x_j⟩ in the finite chain (sites 1 … N; any order).</summary>
    public static double Correlation(ChainModel model, int i, int j, GridOptions? grid = null)
    {
        model.Validated();
        if (i < 1 || j < 1 || i > model.Length || j > model.Length)
            throw new ArgumentOutOfRangeException(nameof(i), $"sites must lie in 1..{model.Length}; got {i}, {j}.");
        if (i > j) (i, j) = (j, i);
        grid ??= GridOptions.Default;
        if (model.Parameters is GaussianParameters g && !grid.PreferNumeric)
        {
            if (model.Boundary == Boundary.Periodic)
                return GaussianClosedForms.RingCovariance(g, j - i, model.Length) + Math.Pow(GaussianClosedForms.Mean(g), 2);
            return GaussianClosedForms.OpenCovariance(g, i, j, model.Length)
                   + GaussianClosedForms.OpenMean(g, i, model.Length) * GaussianClosedForms.OpenMean(g, j, model.Length);
        }
        var chain = NumericChain(model.Parameters, grid, model).Chain;
        var x = chain.Spectrum.PointOperator;
        return chain.TwoPoint(x, x, i, j, model.Length, model.Boundary);
    }

    /// <summary>⟨x_i⟩ at site i of the finite chain.</summary>
    public static double SiteMean(ChainModel model, int i, GridOptions? grid = null)
    {
        model.Validated();
        if (i < 1 || i > model.Length)
            throw new ArgumentOutOfRangeException(nameof(i), $"site must lie in 1..{model.Length}; got {i}.");
        grid ??= GridOptions.Default;
        if (model.Parameters is GaussianParameters g && !grid.PreferNumeric)
            return model.Boundary == Boundary.Periodic ? GaussianClosedForms.Mean(g) : GaussianClosedForms.OpenMean(g, i, model.Length);
        var chain = NumericChain(model.Parameters, grid, model).Chain;
        return chain.SiteExpectation(chain.Spectrum.PointOperator, i, model.Length, model.Boundary);
    }

    /// <summary>⟨x_0 x_r⟩ in the infinite chain.</summary>
    public static double InfiniteCorrelation(ChainParameters parameters, int r, GridOptions? grid = null)
    {
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(r);
        grid ??= GridOptions.Default;
        if (parameters is GaussianParameters g && !grid.PreferNumeric)
            return GaussianClosedForms.InfiniteCovariance(g, r) + Math.Pow(GaussianClosedForms.Mean(g), 2);
        var chain = NumericChain(parameters, grid).Chain;
        var x = chain.Spectrum.PointOperator;
        return chain.InfiniteTwoPoint(x, x, r);
    }

    internal static SpectralChain ChainFor(ChainParameters parameters) => NumericChain(parameters, GridOptions.Default).Chain;

    /// <summary>The spectral chain of θ: the Ising closed-form spectrum, or the kernel on an automatically chosen grid.</summary>
    internal static (SpectralChain Chain, GridReport? Report) NumericChain(ChainParameters parameters, GridOptions grid, ChainModel? model = null)
    {
        if (!grid.PreferNumeric)
        {
            if (parameters is IsingParameters ising) return (new SpectralChain(IsingSpectrum.Build(ising)), null);
            if (parameters is BernoulliParameters bernoulli) return (new SpectralChain(BernoulliSpectrum.Build(bernoulli)), null);
        }
        if (model is not null)
        {
            var (chosen, spectrum) = GridSelector.ForChain(parameters, grid, model.Length, model.Boundary);
            return (new SpectralChain(spectrum), chosen.Grid.Coordinate == GridCoordinate.States ? null : chosen.Report);
        }
        var selection = GridSelector.Select(parameters, grid);
        var report = selection.Grid.Coordinate == GridCoordinate.States ? null : selection.Report;
        return (new SpectralChain(GridSpectrum.Build(parameters, selection.Grid)), report);
    }

    private static ChainObservables Infinite(SpectralChain chain)
    {
        var x = chain.Spectrum.PointOperator;
        return new(
            null,
            chain.Spectrum.LogLambdaMax,
            SpectralChain.InfiniteMean(x),
            SpectralChain.InfiniteMean(chain.Spectrum.SiteOperator(Square)),
            chain.InfiniteTwoPoint(x, x, 1),
            chain.CorrelationLength());
    }

    private static double Square(double x) => x * x;
}
