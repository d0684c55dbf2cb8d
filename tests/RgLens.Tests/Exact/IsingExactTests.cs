using RgLens.Exact;
using RgLens.Models;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Exact;

public class IsingExactTests
{
    public static TheoryData<double, double, int, Boundary> SmallChains()
    {
        var data = new TheoryData<double, double, int, Boundary>();
        foreach (var b in new[] { Boundary.Periodic, Boundary.Open })
            foreach (var (k, h) in new[] { (0.7, 0.2), (-0.9, 0.3), (1.5, -0.4), (0.0, 0.8), (0.3, 0.0), (-1.2, 0.0), (-20.0, 3.0), (-20.0, 0.0), (20.0, 0.01) })
                foreach (int n in new[] { 2, 3, 7, 11, 12 })
                    data.Add(k, h, n, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(SmallChains))]
    public void FiniteChainMatchesEnumeration(double k, double h, int n, Boundary boundary)
    {
        var oracle = new IsingEnumeration(k, h, n, boundary);
        var model = new ChainModel(new IsingParameters(k, h), n, boundary);
        var f = ExactSolver.Solve(model).Finite;
        int bonds = model.BondCount;
        double nn = oracle.Expect(c =>
        {
            double s = 0;
            for (int i = 0; i < bonds; i++) s += IsingEnumeration.Spin(c, i) * IsingEnumeration.Spin(c, (i + 1) % n);
            return s / bonds;
        });
        double m = oracle.Expect(c => Enumerable.Range(0, n).Sum(i => IsingEnumeration.Spin(c, i)) / (double)n);
        Assert.Equal(oracle.LogZ, f.LogPartition!.Value, Tolerances.Exact);
        Assert.Equal(m, f.Mean, Tolerances.Exact);
        Assert.Equal(nn, f.NearestNeighbour, Tolerances.Exact);
        Assert.Equal(1.0, f.SecondMoment, Tolerances.Exact);
    }

    [Theory]
    [InlineData(0.8, 0.3, 9, Boundary.Open)]
    [InlineData(0.8, 0.3, 9, Boundary.Periodic)]
    [InlineData(-0.6, -0.5, 8, Boundary.Open)]
    [InlineData(1.1, 0.0, 10, Boundary.Periodic)]
    public void CorrelationsAndSiteMeansMatchEnumeration(double k, double h, int n, Boundary boundary)
    {
        var oracle = new IsingEnumeration(k, h, n, boundary);
        var model = new ChainModel(new IsingParameters(k, h), n, boundary);
        for (int i = 1; i <= n; i++)
        {
            Assert.Equal(oracle.SiteMean(i), ExactSolver.SiteMean(model, i), Tolerances.Exact);
            for (int j = i; j <= n; j++)
                Assert.Equal(oracle.Correlation(i, j), ExactSolver.Correlation(model, i, j), Tolerances.Exact);
        }
    }

    [Theory]
    [InlineData(0.7, 0.2)]
    [InlineData(-0.4, 1.1)]
    [InlineData(2.0, -0.3)]
    public void PeriodicLogZMatchesTextbookEigenvalues(double k, double h)
    {
        var (plus, minus) = IsingClosedForms.Eigenvalues(k, h);
        foreach (int n in new[] { 5, 64, 1000 })
        {
            double expected = n * Math.Log(plus) + Math.Log(1 + Math.Pow(minus / plus, n));
            var f = ExactSolver.Solve(new ChainModel(new IsingParameters(k, h), n)).Finite;
            Assert.Equal(expected, f.LogPartition!.Value, 1e-12 * n);
        }
    }

    [Theory]
    [InlineData(0.7, 0.2)]
    [InlineData(-1.3, 0.5)]
    [InlineData(3.0, 0.01)]
    [InlineData(0.2, -2.0)]
    public void InfiniteChainMatchesClosedForms(double k, double h)
    {
        var inf = ExactSolver.SolveInfinite(new IsingParameters(k, h));
        var (plus, minus) = IsingClosedForms.Eigenvalues(k, h);
        Assert.Equal(Math.Log(plus), inf.LogPartitionPerSite, Tolerances.Exact);
        Assert.Equal(Math.Sinh(h) / Math.Sqrt(Math.Sinh(h) * Math.Sinh(h) + Math.Exp(-4 * k)), inf.Mean, Tolerances.Exact);
        Assert.Equal(IsingClosedForms.Magnetization(k, h), inf.Mean, Tolerances.Exact);
        Assert.Equal(IsingClosedForms.NearestNeighbour(k, h), inf.NearestNeighbour, Tolerances.Exact);
        Assert.Equal(1 / Math.Log(plus / Math.Abs(minus)), inf.CorrelationLength, 1e-10);
        // A long ring approaches the infinite chain.
        var ring = ExactSolver.Solve(new ChainModel(new IsingParameters(k, h), 4000)).Finite;
        Assert.Equal(inf.Mean, ring.Mean, 1e-10);
        Assert.Equal(inf.NearestNeighbour, ring.NearestNeighbour, 1e-10);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.7)]
    [InlineData(-0.8)]
    public void ZeroFieldCorrelationsAreTanhPowers(double k)
    {
        double t = Math.Tanh(k);
        for (int r = 0; r <= 6; r++)
        {
            Assert.Equal(Math.Pow(t, r), ExactSolver.InfiniteCorrelation(new IsingParameters(k, 0), r), Tolerances.Exact);
            var open = new ChainModel(new IsingParameters(k, 0), 20, Boundary.Open);
            Assert.Equal(Math.Pow(t, r), ExactSolver.Correlation(open, 5, 5 + r), Tolerances.Exact);
            var ring = new ChainModel(new IsingParameters(k, 0), 16);
            Assert.Equal(IsingClosedForms.ZeroFieldCorrelation(k, r, 16, Boundary.Periodic), ExactSolver.Correlation(ring, 3, 3 + r), Tolerances.Exact);
        }
        Assert.Equal(t, ExactSolver.SolveInfinite(new IsingParameters(k, 0)).NearestNeighbour, Tolerances.Exact);
        Assert.Equal(1 / Math.Log(1 / Math.Abs(t)), IsingClosedForms.CorrelationLength(k, 0), 1e-10);
    }

    [Fact]
    public void LargeCouplingAndLengthStayFinite()
    {
        // K = 20, N = 10^6 (issue 2): ln Z = N ln(2 cosh K) + ln(1 + tanh^N K).
        var f = ExactSolver.Solve(new ChainModel(new IsingParameters(20, 0), 1_000_000)).Finite;
        double logTwoCosh = 20 + Math.Log(1 + Math.Exp(-40));
        double tN = Math.Exp(1_000_000 * Math.Log(Math.Tanh(20)));
        Assert.Equal(1_000_000 * logTwoCosh + Math.Log(1 + tN), f.LogPartition!.Value, 1e-12 * 2e7);
        Assert.Equal(1.0, f.NearestNeighbour, 1e-12);
        Assert.True(double.IsFinite(f.CorrelationLength) && f.CorrelationLength > 1e16);
        foreach (var b in new[] { Boundary.Open, Boundary.Periodic })
            foreach (var (k, h) in new[] { (20.0, 0.0), (20.0, 50.0), (-20.0, 3.0), (0.5, -300.0), (-300.0, 0.0) })
            {
                var s = ExactSolver.Solve(new ChainModel(new IsingParameters(k, h), 1_000_001, b));
                Assert.True(double.IsFinite(s.Finite.LogPartition!.Value), $"ln Z at K={k}, h={h}, {b}");
                Assert.True(double.IsFinite(s.Finite.Mean) && Math.Abs(s.Finite.Mean) <= 1 + 1e-12);
                Assert.True(double.IsFinite(s.Finite.NearestNeighbour) && Math.Abs(s.Finite.NearestNeighbour) <= 1 + 1e-12);
            }
    }

    [Fact]
    public void FrustratedOddAntiferromagneticRingKeepsItsDigits()
    {
        // K = −20, h = 0, N = 101: Z = (2 cosh K)^N (1 + tanh^N K) and 1 + tanh^N K ≈ 8.6e-16.
        int n = 101;
        double k = -20;
        double onePlusTN = -Math.Exp(n * Math.Log(Math.Tanh(-k))) + 1; // tanh^N K = −tanh^N |K|
        double exactTail = n * 2 * Math.Exp(-40); // 1 − (1 − 2e^{−40})^N to first order
        var f = ExactSolver.Solve(new ChainModel(new IsingParameters(k, 0), n)).Finite;
        double logTwoCosh = 20 + Math.Log(1 + Math.Exp(-40));
        Assert.Equal(n * logTwoCosh + Math.Log(exactTail), f.LogPartition!.Value, 1e-9);
        Assert.True(onePlusTN < 1e-14); // the naive formula has lost every digit here
    }

    [Fact]
    public void InvalidModelsAreRejected()
    {
        Assert.Throws<ModelDomainException>(() => ExactSolver.Solve(new ChainModel(new IsingParameters(double.NaN, 0), 8)));
        Assert.Throws<ModelDomainException>(() => ExactSolver.Solve(new ChainModel(new IsingParameters(0.1, double.PositiveInfinity), 8)));
        Assert.Throws<ModelDomainException>(() => ExactSolver.Solve(new ChainModel(new IsingParameters(0.1, 0), 1)));
    }
}
