using RgLens.Exact;
using RgLens.Models;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Exact;

public class GaussianExactTests
{
    /// <summary>Dense inversion of a well-conditioned N ≤ 40 matrix: ~1e-15 · cond(Q) ≲ 1e-12 relative.</summary>
    private const double DenseTolerance = 1e-10;

    private static readonly GaussianParameters[] Points =
    [
        new(2, 0.7, 0.3), new(1, 0.4, 0), new(1, -0.45, 0.2), new(3, 1.4999, -1), new(1, 0.0, 0.5), new(0.5, -0.2499, 0.1),
    ];

    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(Boundary.Periodic, 2)]
    [InlineData(Boundary.Periodic, 3)]
    [InlineData(Boundary.Periodic, 17)]
    [InlineData(Boundary.Open, 2)]
    [InlineData(Boundary.Open, 9)]
    [InlineData(Boundary.Open, 30)]
    public void ClosedFormsMatchDenseLinearAlgebra(Boundary boundary, int n)
    {
        foreach (var p in Points)
        {
            var dense = new GaussianDense(p, n, boundary);
            var model = new ChainModel(p, n, boundary);
            var s = ExactSolver.Solve(model);
            Close(dense.LogZ, s.Finite.LogPartition!.Value, DenseTolerance, $"ln Z {p} {boundary} N={n}");
            Close(Enumerable.Range(1, n).Average(i => dense.Mean[i - 1]), s.Finite.Mean, DenseTolerance, "mean");
            Close(Enumerable.Range(1, n).Average(i => dense.Moment(i, i)), s.Finite.SecondMoment, DenseTolerance, "second moment");
            int bonds = model.BondCount;
            Close(Enumerable.Range(1, bonds).Average(i => dense.Moment(i, i % n + 1)), s.Finite.NearestNeighbour, DenseTolerance, "neighbour");
            for (int j = 1; j <= n; j += Math.Max(1, n / 5))
            {
                Close(dense.Moment(1, j), ExactSolver.Correlation(model, 1, j), DenseTolerance, $"<x_1 x_{j}>");
                Close(dense.Mean[j - 1], ExactSolver.SiteMean(model, j), DenseTolerance, $"<x_{j}>");
            }
        }
    }

    [Fact]
    public void InfiniteChainIsTheStationaryAr1Process()
    {
        foreach (var p in Points)
        {
            double u = p.Coupling / p.Precision;
            double rho = GaussianClosedForms.LagOneCorrelation(p);
            Close(u, rho / (1 + rho * rho), Tolerances.Exact, "u = rho/(1+rho^2)");
            double variance = (1 + rho * rho) / (p.Precision * (1 - rho * rho));
            var inf = ExactSolver.SolveInfinite(p);
            double mu = p.Field / (p.Precision - 2 * p.Coupling);
            Close(mu, inf.Mean, Tolerances.Exact, "mean");
            Close(variance, inf.Variance, 1e-9, "variance");
            Close(rho * variance + mu * mu, inf.NearestNeighbour, 1e-9, "neighbour");
            // A long ring converges to it, per site and in its moments.
            var ring = ExactSolver.Solve(new ChainModel(p, 4000)).Finite;
            Close(inf.LogPartitionPerSite, ring.LogPartitionPerSite, 1e-9, "ln Z per site");
            Close(inf.SecondMoment, ring.SecondMoment, 1e-9, "second moment");
            if (rho != 0) Close(-1 / Math.Log(Math.Abs(rho)), inf.CorrelationLength, Tolerances.Exact, "xi");
        }
    }

    [Fact]
    public void NearlyMasslessChainsKeepTheirDigits()
    {
        // u = 1/2 − 5e-13: 1 − ρ ≈ 1.4e-6 and ξ ≈ 7e5; the ring of N = 400 is far from its infinite limit.
        var p = new GaussianParameters(1, 0.5 - 5e-13, 0);
        var s = ExactSolver.Solve(new ChainModel(p, 400));
        var dense = new GaussianDense(p, 400, Boundary.Periodic);
        Assert.True(double.IsFinite(s.Finite.LogPartition!.Value));
        Close(dense.Moment(1, 1), s.Finite.SecondMoment, 1e-5, "second moment (dense inverse loses ~cond·1e-16)");
        Assert.True(s.Infinite.CorrelationLength > 1e5);
    }

    [Theory]
    [InlineData(1.0, 0.7, "Gaussian chain needs a > 2|K|; got a=1, K=0.7.")]
    [InlineData(1.0, -0.5, "Gaussian chain needs a > 2|K|; got a=1, K=-0.5.")]
    [InlineData(-1.0, 0.0, "Gaussian chain needs a > 2|K|; got a=-1, K=0.")]
    public void OutOfDomainParametersNameTheCondition(double a, double k, string message)
    {
        var e = Assert.Throws<ModelDomainException>(() => GaussianFamily.Instance.Create([a, k, 0.0]));
        Assert.Equal(message, e.Message);
        Assert.Null(GaussianFamily.Instance.TryCreate([a, k, 0.0]));
    }
}
