using MathNet.Numerics.LinearAlgebra;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Renormalization;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Renormalization;

public class GridDecimationTests
{
    /// <summary>The bar for the numeric kernel path against the Gaussian closed forms.</summary>
    private const double KernelPathTolerance = 1e-8;

    /// <summary>
    /// Parameters are the projection of moments known to the grid's accuracy (1e-10) through a
    /// Jacobian of order 1–100 (φ⁴'s λ responds weakly to E x⁴): 1e-7 in the parameters.
    /// </summary>
    private const double FixedPointTolerance = 1e-7;

    private static readonly GridOptions Numeric = new() { PreferNumeric = true };

    [Theory]
    [InlineData(2.0, 0.7, 0.3, 2)]
    [InlineData(2.0, 0.7, 0.3, 3)]
    [InlineData(1.0, -0.45, 0.2, 2)]
    [InlineData(1.0, 0.3, -1.0, 5)]
    public void KernelPathReproducesTheGaussianClosedForms(double a, double k, double h, int b)
    {
        var p = new GaussianParameters(a, k, h);
        var (q, g) = GaussianDecimation.Step(p, b);
        var step = DecimationMap.For(GaussianFamily.Instance, Numeric).Step(p, b);
        var n = (GaussianParameters)step.Parameters;
        Tolerances.Close(q.Precision, n.Precision, KernelPathTolerance, "a'");
        Tolerances.Close(q.Coupling, n.Coupling, KernelPathTolerance, "K'");
        Tolerances.Close(q.Field, n.Field, KernelPathTolerance, "h'");
        Tolerances.Close(g, step.LogScale, KernelPathTolerance, "g");
        Assert.True(step.ProjectionResidual < 1e-10, $"residual {step.ProjectionResidual}");
        Assert.NotNull(step.Grid);
        var star = (GaussianParameters)DecimationMap.For(GaussianFamily.Instance, Numeric).StableFixedPoint(p);
        var exact = (GaussianParameters)GaussianDecimation.Instance.StableFixedPoint(p);
        Tolerances.Close(exact.Precision, star.Precision, KernelPathTolerance, "a*");
        Tolerances.Close(exact.Field, star.Field, KernelPathTolerance, "h*");
        Assert.Equal(0.0, star.Coupling);
    }

    [Theory]
    [InlineData(0.7, 0.2, 2)]
    [InlineData(-1.1, 0.4, 3)]
    [InlineData(2.0, 0.0, 2)]
    public void DiscretePathReproducesIsingAndBernoulliClosedForms(double k, double h, int b)
    {
        var ising = new IsingParameters(k, h);
        var (kb, hb, gb) = IsingDecimation.Step(k, h, b);
        var s = DecimationMap.For(IsingFamily.Instance, Numeric).Step(ising, b);
        Tolerances.Close(kb, ((IsingParameters)s.Parameters).Coupling, 1e-10, "K_b");
        Tolerances.Close(hb, ((IsingParameters)s.Parameters).Field, 1e-10, "h_b");
        Tolerances.Close(gb, s.LogScale, 1e-10, "g_b");
        Assert.True(s.ProjectionResidual < 1e-12);
        var bernoulli = BernoulliParameters.FromIsing(ising);
        var (exact, g) = BernoulliDecimation.Step(bernoulli, b);
        var numeric = DecimationMap.For(BernoulliFamily.Instance, Numeric).Step(bernoulli, b);
        var n = (BernoulliParameters)numeric.Parameters;
        Tolerances.Close(exact.Coupling, n.Coupling, 1e-10, "K' bernoulli");
        Tolerances.Close(exact.Field, n.Field, 1e-10, "eta' bernoulli");
        Tolerances.Close(g, numeric.LogScale, 1e-10, "g bernoulli");
    }

    [Theory]
    [InlineData(-1.0, 1.0, 2)]
    [InlineData(0.5, -2.0, 3)]
    [InlineData(-3.0, 1.5, 4)]
    public void BernoulliDecimationMatchesTheSumOverDecimatedOccupations(double eta, double k, int b)
    {
        // T_b(x, y) = Σ over the b − 1 middle occupations of Π exp(K x x' + η (x + x')/2) = e^{g + K' x y + η'(x + y)/2}.
        double T(int x, int y)
        {
            double sum = 0;
            for (int mid = 0; mid < 1 << (b - 1); mid++)
            {
                double e = 0;
                int prev = x;
                for (int j = 0; j < b; j++)
                {
                    int cur = j == b - 1 ? y : (mid >> j) & 1;
                    e += k * prev * cur + eta * (prev + cur) / 2.0;
                    prev = cur;
                }
                sum += Math.Exp(e);
            }
            return sum;
        }
        double g = Math.Log(T(0, 0)), etaB = 2 * (Math.Log(T(1, 0)) - g), kB = Math.Log(T(1, 1)) - g - etaB;
        var (p, gs) = BernoulliDecimation.Step(new BernoulliParameters(eta, k), b);
        Tolerances.Close(kB, p.Coupling, Tolerances.Exact, "K_b");
        Tolerances.Close(etaB, p.Field, Tolerances.Exact, "eta_b");
        Tolerances.Close(g, gs, Tolerances.Exact, "g_b");
    }

    public static TheoryData<string, double[], int> Flows() => new()
    {
        { "phi4", [-1, 0.5, 0.4, 0.3], 2 },
        { "phi4", [2, 0.2, -0.9, -0.4], 3 },
        { "poisson", [3, -0.2], 3 },
        { "poisson", [0.7, -1.0], 2 },
        { "gamma", [2, 1, -0.2], 3 },
        { "gamma", [0.9, 2.5, -1.0], 2 },
        { "bernoulli", [-1.4, 2.0], 2 },
        { "gaussian", [2, 0.7, 0.3], 2 },
    };

    [Theory]
    [MemberData(nameof(Flows))]
    public void FlowConvergesToTheSingleSiteProjectionOfTheMarginal(string family, double[] values, int b)
    {
        var f = ChainFamilies.Find(family);
        var theta = f.Create(values);
        var grid = family is "bernoulli" or "gaussian" ? Numeric : GridOptions.Default;
        var flow = RgFlow.Run(theta, b, 8, grid);
        var star = f.Create(flow.FixedPoint.Values.ToArray());
        Assert.Equal(0.0, star.NeighbourCoupling);
        Assert.True(flow.DistanceToFixedPoint < FixedPointTolerance, $"distance {flow.DistanceToFixedPoint}");
        // θ* is the single-site member with the marginal's E T(x), each side on a fine grid.
        var fine = new GridOptions { Accuracy = 1e-12, PreferNumeric = true };
        var marginal = MarginalStatistics(theta, fine);
        var single = MarginalStatistics(star, fine);
        for (int k = 0; k < f.StatisticCount; k++) Tolerances.Close(marginal[k], single[k], 1e-9, $"E T_{k}");
        // Every step keeps the marginal's E T(x) (decimation keeps marginals; the projection keeps E T).
        foreach (var step in flow.Steps)
        {
            var m = MarginalStatistics(step.Parameters, fine);
            for (int k = 0; k < f.StatisticCount; k++) Tolerances.Close(marginal[k], m[k], 1e-9, $"E T_{k} at step {step.Step}");
            Assert.True(step.ProjectionResidual >= 0);
        }
        // Stability: superstable in K, marginal along every single-site direction.
        var eig = flow.FixedPoint.Eigenvalues;
        Assert.True(flow.FixedPoint.Stable);
        Assert.Equal(f.StatisticCount, eig.Count(e => Math.Abs(e - 1) < 1e-5));
        Assert.Equal(1, eig.Count(e => Math.Abs(e) < 1e-5));
    }

    [Theory]
    [InlineData("poisson", new[] { 3, -0.3 }, 3)]
    [InlineData("phi4", new[] { -1, 0.5, 0.6, 0.0 }, 2)]
    [InlineData("gamma", new[] { 1.5, 1, -0.5 }, 3)]
    public void ResidualIsTheKlDivergenceRateOfTheTransitionMatrices(string family, double[] values, int b)
    {
        var theta = ChainFamilies.Find(family).Create(values);
        var step = DecimationMap.For(theta.Family).Step(theta, b);
        var report = step.Grid!;
        var grid = report.Coordinate switch
        {
            "counts" => QuadratureGrid.Counts((int)report.Lower, (int)report.Upper),
            "ln x" => QuadratureGrid.Uniform(GridCoordinate.Logarithmic, Math.Log(report.Lower), Math.Log(report.Upper), report.Points),
            _ => QuadratureGrid.Uniform(GridCoordinate.Linear, report.Lower, report.Upper, report.Points),
        };
        // Independently: dense eigen-decompositions, the b-th power by plain products, KL of the two Markov chains.
        var (p, psi, lambda) = Perron(theta, grid);
        var pb = p;
        for (int i = 1; i < b; i++) pb = pb * p;
        var (q, phi, mu) = Perron(step.Parameters, grid);
        int n = grid.Count;
        double kl = 0;
        for (int x = 0; x < n; x++)
            for (int y = 0; y < n; y++)
            {
                // Edge entries of the dense eigenvectors are rounding noise (|ψ| < 1e-150): their weight ψ_x² vanishes.
                if (Math.Abs(psi[x]) < 1e-150 || Math.Abs(psi[y]) < 1e-150 || Math.Abs(phi[x]) < 1e-150 || Math.Abs(phi[y]) < 1e-150) continue;
                double pxy = pb[x, y] * Math.Abs(psi[y]) / (Math.Pow(lambda, b) * Math.Abs(psi[x]));
                double qxy = q[x, y] * Math.Abs(phi[y]) / (mu * Math.Abs(phi[x]));
                if (pxy > 0 && qxy > 0) kl += psi[x] * psi[x] * pxy * Math.Log(pxy / qxy);
            }
        Assert.True(kl > 1e-12, $"a non-closed family loses information: {kl}");
        Assert.Equal(kl, step.ProjectionResidual, 1e-10);
    }

    [Fact]
    public void OutOfDomainStartsAreRejected()
    {
        var map = DecimationMap.For(PoissonFamily.Instance);
        Assert.Throws<ModelDomainException>(() => map.Step(new PoissonParameters(2, 0.1), 2));
        Assert.Throws<ModelDomainException>(() => RgFlow.Run(new Phi4Parameters(1, -0.5, 0.1, 0), 2, 3));
        Assert.Empty(map.UnstableFixedPoints(2));
        var bernoulli = DecimationMap.For(BernoulliFamily.Instance).UnstableFixedPoints(2).Single();
        Assert.Equal(new[] { 2.0, 2.0 }, bernoulli.Eigenvalues.Select(e => Math.Round(e, 6)));
    }

    private static double[] MarginalStatistics(ChainParameters p, GridOptions options)
    {
        var selection = GridSelector.Select(p, options);
        var kernel = new GridKernel(p, selection.Grid);
        var (l, psi) = kernel.Leading();
        return kernel.Moments(l, psi);
    }

    /// <summary>The kernel matrix on the grid with its Perron pair from MathNet's dense eigensolver.</summary>
    private static (Matrix<double> A, double[] Psi, double Lambda) Perron(ChainParameters p, QuadratureGrid grid)
    {
        var kernel = new GridKernel(p, grid);
        int n = kernel.Size;
        var a = Matrix<double>.Build.DenseOfRowMajor(n, n, kernel.Matrix);
        var evd = a.Evd(Symmetricity.Symmetric);
        int top = Enumerable.Range(0, n).MaxBy(k => evd.EigenValues[k].Real);
        var v = evd.EigenVectors.Column(top);
        if (v.Sum() < 0) v = -v;
        return (a, v.ToArray(), evd.EigenValues[top].Real);
    }
}
