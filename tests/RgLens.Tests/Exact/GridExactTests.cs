using MathNet.Numerics.LinearAlgebra;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Exact;

/// <summary>The transfer operator on a quadrature grid or truncated support, against independent answers.</summary>
public class GridExactTests
{
    /// <summary>The bar for the numeric kernel path against the Gaussian closed forms.</summary>
    private const double KernelPathTolerance = 1e-8;

    /// <summary>
    /// Brute-force sums on an independent fine trapezoid rule (≥ 100 nodes per unit of the conditional
    /// width, tails beyond e^{−40}) are exact to ~1e-13; the grid is chosen to 1e-10, and finite-chain
    /// quantities of N ≤ 4 sites inherit that accuracy within a small factor.
    /// </summary>
    private const double BruteForceTolerance = 1e-9;

    private static readonly GridOptions Numeric = new() { PreferNumeric = true };

    private static void Close(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(2.0, 0.7, 0.3)]
    [InlineData(1.0, -0.45, 0.2)]
    [InlineData(1.0, 0.49, 0.0)]
    [InlineData(5.0, 1.0, -3.0)]
    public void KernelPathReproducesTheGaussianClosedForms(double a, double k, double h)
    {
        var p = new GaussianParameters(a, k, h);
        foreach (var boundary in new[] { Boundary.Periodic, Boundary.Open })
            foreach (int n in new[] { 2, 5, 64 })
            {
                var model = new ChainModel(p, n, boundary);
                var exact = ExactSolver.Solve(model);
                var grid = ExactSolver.Solve(model, Numeric);
                Assert.NotNull(grid.Grid);
                Assert.True(grid.Grid!.Accuracy <= 1e-10);
                foreach (var (e, g, what) in new[] { (exact.Finite, grid.Finite, "finite"), (exact.Infinite, grid.Infinite, "infinite") })
                {
                    Close(e.LogPartitionPerSite, g.LogPartitionPerSite, KernelPathTolerance, $"ln Z/N {what} {boundary} N={n}");
                    Close(e.Mean, g.Mean, KernelPathTolerance, $"mean {what}");
                    Close(e.SecondMoment, g.SecondMoment, KernelPathTolerance, $"second moment {what}");
                    Close(e.NearestNeighbour, g.NearestNeighbour, KernelPathTolerance, $"neighbour {what}");
                    Close(e.CorrelationLength, g.CorrelationLength, KernelPathTolerance, $"xi {what}");
                }
            }
    }

    [Theory]
    [InlineData(-1.0, 1.0)]
    [InlineData(0.3, -2.0)]
    [InlineData(-6.0, 4.0)]
    [InlineData(1.0, 0.0)]
    public void BernoulliMatchesIsingThroughTheMappingAndTheGenericDiscretePath(double eta, double k)
    {
        var p = new BernoulliParameters(eta, k);
        var ising = p.ToIsing();
        for (int n = 2; n <= 9; n += 7)
        {
            // Ring: ln Z_bernoulli = ln Z_ising + N (K/4 + η/2); ⟨x⟩ = (1 + m)/2; ⟨x x'⟩ = (1 + 2m + ⟨s s'⟩)/4.
            var b = ExactSolver.Solve(new ChainModel(p, n)).Finite;
            var s = ExactSolver.Solve(new ChainModel(ising, n)).Finite;
            Close(s.LogPartition!.Value + n * p.LogKernelConstant, b.LogPartition!.Value, Tolerances.Exact, "ln Z ring");
            Close((1 + s.Mean) / 2, b.Mean, Tolerances.Exact, "occupation");
            Close((1 + 2 * s.Mean + s.NearestNeighbour) / 4, b.NearestNeighbour, Tolerances.Exact, "<x x'>");
            foreach (var boundary in new[] { Boundary.Periodic, Boundary.Open })
            {
                var model = new ChainModel(p, n, boundary);
                var mapped = ExactSolver.Solve(model).Finite;
                var generic = ExactSolver.Solve(model, Numeric).Finite;
                var oracle = new ChainEnumeration(p, n, boundary, [0, 1], [1, 1]);
                foreach (var o in new[] { mapped, generic })
                {
                    Close(oracle.LogZ, o.LogPartition!.Value, Tolerances.Exact, $"ln Z {boundary}");
                    Close(Enumerable.Range(1, n).Average(oracle.Mean), o.Mean, Tolerances.Exact, "mean");
                    int bonds = model.BondCount;
                    Close(Enumerable.Range(1, bonds).Average(i => oracle.Moment(i, i % n + 1)), o.NearestNeighbour, Tolerances.Exact, "neighbour");
                }
                Close(oracle.Moment(1, n), ExactSolver.Correlation(model, 1, n), Tolerances.Exact, "<x_1 x_N>");
            }
        }
        var inf = ExactSolver.SolveInfinite(p);
        Close(IsingClosedForms.LogLambdaPlus(ising.Coupling, ising.Field) + p.LogKernelConstant, inf.LogPartitionPerSite, Tolerances.Exact, "ln lambda");
        Close((1 + IsingClosedForms.Magnetization(ising.Coupling, ising.Field)) / 2, inf.Mean, Tolerances.Exact, "infinite occupation");
    }

    [Fact]
    public void IsingThroughTheGenericPathMatchesItsClosedFormSpectrum()
    {
        foreach (var (k, h) in new[] { (0.7, 0.2), (-1.1, 0.4), (2.0, 0.0) })
            foreach (var boundary in new[] { Boundary.Periodic, Boundary.Open })
            {
                var model = new ChainModel(new IsingParameters(k, h), 12, boundary);
                var a = ExactSolver.Solve(model).Finite;
                var b = ExactSolver.Solve(model, Numeric).Finite;
                Close(a.LogPartition!.Value, b.LogPartition!.Value, Tolerances.Exact, "ln Z");
                Close(a.Mean, b.Mean, Tolerances.Exact, "m");
                Close(a.NearestNeighbour, b.NearestNeighbour, Tolerances.Exact, "nn");
            }
    }

    public static TheoryData<string, double[], int, Boundary> BruteForceCases() => new()
    {
        { "phi4", [-1, 0.5, 0.4, 0.2], 3, Boundary.Periodic },
        { "phi4", [-1, 0.5, 0.4, 0.2], 3, Boundary.Open },
        { "phi4", [2, 0.1, -0.8, -0.5], 3, Boundary.Periodic },
        { "phi4", [0.5, 1.0, 1.2, 0.0], 3, Boundary.Open },
        { "poisson", [3, -0.2], 3, Boundary.Periodic },
        { "poisson", [1.5, -0.6], 4, Boundary.Open },
        { "gamma", [2, 1, -0.2], 3, Boundary.Periodic },
        { "gamma", [0.8, 2, -1.5], 3, Boundary.Open },
    };

    [Theory]
    [MemberData(nameof(BruteForceCases))]
    public void GridMatchesBruteForceSumsOverShortChains(string family, double[] values, int n, Boundary boundary)
    {
        var p = ChainFamilies.Find(family).Create(values);
        var (x, w) = family switch
        {
            "phi4" => ChainEnumeration.Trapezoid(-4.5, 4.5, 181),
            "poisson" => (Enumerable.Range(0, 36).Select(i => (double)i).ToArray(), Enumerable.Repeat(1.0, 36).ToArray()),
            _ => ChainEnumeration.LogTrapezoid(-45, 4, 181),
        };
        var oracle = new ChainEnumeration(p, n, boundary, x, w);
        var model = new ChainModel(p, n, boundary);
        var s = ExactSolver.Solve(model);
        const double tolerance = BruteForceTolerance;
        Close(oracle.LogZ, s.Finite.LogPartition!.Value, tolerance, "ln Z");
        Close(Enumerable.Range(1, n).Average(oracle.Mean), s.Finite.Mean, tolerance, "mean");
        Close(Enumerable.Range(1, n).Average(i => oracle.Moment(i, i)), s.Finite.SecondMoment, tolerance, "second moment");
        Close(Enumerable.Range(1, model.BondCount).Average(i => oracle.Moment(i, i % n + 1)), s.Finite.NearestNeighbour, tolerance, "neighbour");
        Close(oracle.Moment(1, n - 1), ExactSolver.Correlation(model, 1, n - 1), tolerance, "<x_1 x_{N-1}>");
        Close(oracle.Mean(n), ExactSolver.SiteMean(model, n), tolerance, "<x_N>");
    }

    [Theory]
    [InlineData("phi4", new[] { -1, 0.5, 0.4, 0.0 })]
    [InlineData("phi4", new[] { 3, 0.02, 1.4, 0.5 })]
    [InlineData("gamma", new[] { 0.7, 3, -0.5 })]
    [InlineData("poisson", new[] { 40, -0.01 })]
    [InlineData("gaussian", new[] { 1, 0.45, 1.0 })]
    public void ReportedAccuracyBoundsTheErrorAgainstAFineReference(string family, double[] values)
    {
        var p = ChainFamilies.Find(family).Create(values);
        var options = new GridOptions { Accuracy = 1e-8, PreferNumeric = true };
        var selection = GridSelector.Select(p, options);
        var fine = GridSelector.Select(p, new GridOptions { Accuracy = 1e-13, PreferNumeric = true });
        double error = GridSelector.Distance(GridSelector.Quantities(p, fine.Grid), GridSelector.Quantities(p, selection.Grid));
        Assert.True(selection.Report.Accuracy <= 1e-8, $"reported {selection.Report.Accuracy}");
        Assert.True(error <= Math.Max(selection.Report.Accuracy, 1e-12), $"error {error:G3} > reported {selection.Report.Accuracy:G3}");
        Assert.True(fine.Grid.Count >= selection.Grid.Count);
    }

    [Fact]
    public void AGridTooCoarseForTheAccuracyIsRefused()
    {
        var p = new Phi4Parameters(-1, 0.5, 0.4, 0);
        var e = Assert.Throws<RgLensException>(() => ExactSolver.Solve(new ChainModel(p, 8), new GridOptions { Points = 7 }));
        Assert.Contains("7-point grid reaches accuracy", e.Message);
        var coarse = ExactSolver.Solve(new ChainModel(p, 8), new GridOptions { Points = 17, Accuracy = 1e-2 });
        Assert.Equal(17, coarse.Grid!.Points);
        Assert.InRange(coarse.Grid.Accuracy, 1e-6, 1e-2);
        var capped = Assert.Throws<RgLensException>(() => ExactSolver.Solve(new ChainModel(new GammaParameters(0.05, 1, -0.1), 8), new GridOptions { Accuracy = 1e-12, MaxPoints = 65 }));
        Assert.Contains("needs more than 65 grid points", capped.Message);
    }

    [Fact]
    public void LanczosFindsThePerronPairOfPositiveKernels()
    {
        var rng = RandomStream.For(3, "lanczos-test");
        foreach (int n in new[] { 1, 2, 3, 7, 40, 130 })
        {
            var a = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = i; j < n; j++) a[i * n + j] = a[j * n + i] = Math.Exp(-0.3 * (i - j) * (i - j) / (1 + n / 10.0)) + 0.01 * rng.NextDouble();
            var (value, vector) = LeadingEigenpair.Compute((v, y) => DenseMatrix.Multiply(a, n, v, y), n);
            var evd = Matrix<double>.Build.DenseOfRowMajor(n, n, a).Evd(Symmetricity.Symmetric);
            int top = evd.EigenValues.Select(c => c.Real).Select((v, i) => (v, i)).MaxBy(t => t.v).i;
            Close(evd.EigenValues[top].Real, value, 1e-12, $"lambda n={n}");
            var reference = evd.EigenVectors.Column(top);
            double sign = reference.Sum() < 0 ? -1 : 1;
            for (int j = 0; j < n; j++) Assert.True(Math.Abs(sign * reference[j] - vector[j]) < 1e-9, $"psi[{j}] n={n}");
        }
    }
}
