using RgLens.Models;

namespace RgLens.Exact;

/// <summary>
/// Exact solution of a chain by its transfer kernel (theory.md §1): ln Z, moments,
/// nearest-neighbour and two-point correlations, correlation length, for finite N (periodic or
/// open) and for the infinite chain.
/// </summary>
public static class ExactSolver
{
    /// <summary>Solves <paramref name="model"/> exactly.</summary>
    /// <exception cref="ModelDomainException">The model is invalid (N &lt; 2, θ outside the domain).</exception>
    public static ExactSolution Solve(ChainModel model)
    {
        model.Validated();
        var chain = ChainFor(model.Parameters);
        var x = chain.Spectrum.PointOperator;
        var x2 = chain.Spectrum.SiteOperator(Square);
        int n = model.Length;
        var b = model.Boundary;
        double logZ = chain.LogPartition(n, b);
        var finite = new ChainObservables(
            logZ, logZ / n,
            chain.SiteMean(x, n, b),
            chain.SiteMean(x2, n, b),
            chain.NeighbourMean(x, x, n, b),
            chain.CorrelationLength());
        return new ExactSolution(model, finite, Infinite(chain));
    }

    /// <summary>The infinite chain with parameters <paramref name="parameters"/>.</summary>
    public static ChainObservables SolveInfinite(ChainParameters parameters)
    {
        parameters.Validate();
        return Infinite(ChainFor(parameters));
    }

    /// <summary>⟨x_i x_j⟩ in the finite chain (sites 1 … N; any order).</summary>
    public static double Correlation(ChainModel model, int i, int j)
    {
        model.Validated();
        if (i < 1 || j < 1 || i > model.Length || j > model.Length)
            throw new ArgumentOutOfRangeException(nameof(i), $"sites must lie in 1..{model.Length}; got {i}, {j}.");
        if (i > j) (i, j) = (j, i);
        var chain = ChainFor(model.Parameters);
        var x = chain.Spectrum.PointOperator;
        return chain.TwoPoint(x, x, i, j, model.Length, model.Boundary);
    }

    /// <summary>⟨x_i⟩ at site i of the finite chain.</summary>
    public static double SiteMean(ChainModel model, int i)
    {
        model.Validated();
        if (i < 1 || i > model.Length)
            throw new ArgumentOutOfRangeException(nameof(i), $"site must lie in 1..{model.Length}; got {i}.");
        var chain = ChainFor(model.Parameters);
        return chain.SiteExpectation(chain.Spectrum.PointOperator, i, model.Length, model.Boundary);
    }

    /// <summary>⟨x_0 x_r⟩ in the infinite chain.</summary>
    public static double InfiniteCorrelation(ChainParameters parameters, int r)
    {
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(r);
        var chain = ChainFor(parameters);
        var x = chain.Spectrum.PointOperator;
        return chain.InfiniteTwoPoint(x, x, r);
    }

    internal static SpectralChain ChainFor(ChainParameters parameters) => new(SpectrumFor(parameters));

    internal static TransferSpectrum SpectrumFor(ChainParameters parameters) => parameters switch
    {
        IsingParameters ising => IsingSpectrum.Build(ising),
        _ => throw new RgLensException($"no exact solver for the {parameters.Family.Name} family yet."),
    };

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
