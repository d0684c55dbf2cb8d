using CsCheck;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Renormalization;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Renormalization;

public class IsingDecimationTests
{
    private static readonly (double K, double H)[] Points =
        [(0.7, 0.2), (1.0, 0.1), (-0.8, 0.3), (2.5, -0.7), (0.05, 1.3), (0.4, 0.0), (-1.1, 0.0), (3.0, 0.0), (0.9, -2.0)];

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerances.Exact * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void SpectralFormMatchesMatrixPowerAndClosedForm()
    {
        foreach (var (k, h) in Points)
        {
            foreach (int b in new[] { 2, 3, 4, 5, 7, 8, 16 })
            {
                var s = IsingDecimation.Step(k, h, b);
                var p = IsingDecimation.StepByMatrixPower(k, h, b);
                AssertClose(p.Coupling, s.Coupling, $"K_{b} at ({k},{h})");
                AssertClose(p.Field, s.Field, $"h_{b} at ({k},{h})");
                AssertClose(p.LogScale, s.LogScale, $"g_{b} at ({k},{h})");
            }
            var c = IsingDecimation.StepClosedFormB2(k, h);
            var s2 = IsingDecimation.Step(k, h, 2);
            AssertClose(c.Coupling, s2.Coupling, $"K' at ({k},{h})");
            AssertClose(c.Field, s2.Field, $"h' at ({k},{h})");
            AssertClose(c.LogScale, s2.LogScale, $"g' at ({k},{h})");
        }
    }

    [Fact]
    public void SpectralFormMatchesBruteForceSumOverDecimatedSpins()
    {
        foreach (var (k, h) in Points)
            foreach (int b in new[] { 2, 3, 4, 6, 9 })
            {
                var t = IsingEnumeration.DecimatedKernel(k, h, b);
                double kb = 0.25 * Math.Log(t[0, 0] * t[1, 1] / (t[0, 1] * t[0, 1]));
                double hb = 0.5 * Math.Log(t[0, 0] / t[1, 1]);
                double gb = 0.25 * Math.Log(t[0, 0] * t[1, 1] * t[0, 1] * t[0, 1]);
                var s = IsingDecimation.Step(k, h, b);
                AssertClose(kb, s.Coupling, $"K_{b} at ({k},{h})");
                AssertClose(hb, s.Field, $"h_{b} at ({k},{h})");
                AssertClose(gb, s.LogScale, $"g_{b} at ({k},{h})");
            }
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(16, 4)]
    [InlineData(12, 3)]
    [InlineData(64, 2)]
    [InlineData(1024, 8)]
    public void FreeEnergyIsCarriedByTheConstant(int n, int b)
    {
        // ln Z_N(K, h) = (N/b) g_b + ln Z_{N/b}(K_b, h_b) on a ring (theory.md §2).
        foreach (var (k, h) in Points)
        {
            var s = IsingDecimation.Step(k, h, b);
            double lhs = ExactSolver.Solve(new ChainModel(new IsingParameters(k, h), n)).Finite.LogPartition!.Value;
            double rhs = n / b * s.LogScale + ExactSolver.Solve(new ChainModel(new IsingParameters(s.Coupling, s.Field), n / b)).Finite.LogPartition!.Value;
            AssertClose(lhs, rhs, $"ln Z identity at ({k},{h}), N={n}, b={b}");
            if (n <= 16)
                AssertClose(new IsingEnumeration(k, h, n, Boundary.Periodic).LogZ, rhs, "ln Z identity against enumeration");
        }
    }

    [Fact]
    public void ZeroFieldCouplingFollowsTanhPower()
    {
        foreach (double k in new[] { 0.01, 0.3, 0.7, 1.5, 4.0, -0.6, -2.0 })
            foreach (int b in new[] { 2, 3, 5, 10 })
            {
                var s = IsingDecimation.Step(k, 0, b);
                AssertClose(Math.Pow(Math.Tanh(k), b), Math.Tanh(s.Coupling), $"tanh K_{b} at K={k}");
                Assert.Equal(0.0, s.Field);
            }
        AssertClose(0.5 * Math.Log(Math.Cosh(2 * 0.7)), IsingDecimation.Step(0.7, 0, 2).Coupling, "K' = ½ ln cosh 2K");
    }

    [Fact]
    public void FlowConvergesToTheFieldOfTheMarginal()
    {
        foreach (var (k, h) in Points)
        {
            double hStar = Math.Atanh(IsingClosedForms.Magnetization(k, h));
            AssertClose(hStar, IsingDecimation.FixedPointField(k, h), $"h* closed form at ({k},{h})");
            var flow = RgFlow.Run(new IsingParameters(k, h), 2, 40);
            var last = (IsingParameters)flow.Final;
            Assert.True(Math.Abs(last.Coupling) < 1e-12, $"K after 40 steps from ({k},{h}) is {last.Coupling}");
            Assert.True(Math.Abs(last.Field - hStar) < 1e-10, $"h after 40 steps from ({k},{h}) is {last.Field}, h* = {hStar}");
            Assert.True(flow.FixedPoint.Stable);
            Assert.Equal(0.0, flow.FixedPoint.Values[0]);
            AssertClose(hStar, flow.FixedPoint.Values[1], "reported h*");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void FixedPointStability(int b)
    {
        var flow = RgFlow.Run(new IsingParameters(0.8, 0.2), b, 3);
        // Line of fixed points: superstable in K (eigenvalue 0), marginal along h (eigenvalue 1).
        Assert.Equal(1.0, flow.FixedPoint.Eigenvalues[0], 1e-8);
        Assert.Equal(0.0, flow.FixedPoint.Eigenvalues[1], 1e-8);
        Assert.True(flow.FixedPoint.Stable);
        // K = ∞, h = 0: eigenvalues b and b in (1 − tanh K, h).
        var u = Assert.Single(flow.UnstableFixedPoints);
        Assert.False(u.Stable);
        Assert.True(double.IsPositiveInfinity(u.Values[0]));
        Assert.All(u.Eigenvalues, l => Assert.Equal(b, l, 1e-6));
    }

    [Fact]
    public void DecimationIsASemigroupAndPreservesTheMarginal()
    {
        Gen.Select(Gen.Double[-2.5, 2.5], Gen.Double[-2.5, 2.5], Gen.Int[2, 6], Gen.Int[2, 4]).Sample((k, h, b, c) =>
        {
            var once = IsingDecimation.Step(k, h, b * c);
            var first = IsingDecimation.Step(k, h, b);
            var twice = IsingDecimation.Step(first.Coupling, first.Field, c);
            double scale = Math.Max(1, Math.Abs(k) + Math.Abs(h));
            return Math.Abs(once.Coupling - twice.Coupling) < 1e-11 * scale
                && Math.Abs(once.Field - twice.Field) < 1e-11 * scale
                && Math.Abs(IsingClosedForms.Magnetization(k, h) - IsingClosedForms.Magnetization(first.Coupling, first.Field)) < 1e-12
                && Math.Abs(first.Coupling) <= Math.Abs(k) + 1e-15;
        });
    }

    [Fact]
    public void SpectralFormMatchesMatrixPowerOnRandomPoints()
    {
        Gen.Select(Gen.Double[-4, 4], Gen.Double[-4, 4], Gen.Int[2, 12]).Sample((k, h, b) =>
        {
            var s = IsingDecimation.Step(k, h, b);
            var p = IsingDecimation.StepByMatrixPower(k, h, b);
            double scale = Math.Max(1, Math.Abs(p.LogScale));
            return Math.Abs(s.Coupling - p.Coupling) < 1e-11 && Math.Abs(s.Field - p.Field) < 1e-11 * Math.Max(1, Math.Abs(p.Field))
                && Math.Abs(s.LogScale - p.LogScale) < 1e-12 * scale;
        });
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var theta = new IsingParameters(0.5, 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => RgFlow.Run(theta, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => RgFlow.Run(theta, 2, -1));
        Assert.Throws<ModelDomainException>(() => RgFlow.Run(new IsingParameters(double.NaN, 0), 2, 3));
        Assert.Throws<ModelDomainException>(() => RgFlow.Run(new IsingParameters(0.1, double.NegativeInfinity), 2, 3));
    }
}
