using System.Text.Json;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Tests.Cli;
using RgLens.Tests.Oracles;

namespace RgLens.Tests.Exact;

/// <summary>
/// Ising chains at |K| and |h| far beyond e^{±709}: ln Z, ⟨s⟩ and ⟨s s'⟩ stay finite and right
/// (the eigenmode sums underflowed to ln Z = −∞ and NaN moments on odd antiferromagnetic rings),
/// and ξ beyond the largest double is +∞, never −∞.
/// </summary>
public class IsingExtremeCouplingTests
{
    public static TheoryData<double, double, int, Boundary> ExtremeChains()
    {
        var data = new TheoryData<double, double, int, Boundary>();
        foreach (var b in new[] { Boundary.Periodic, Boundary.Open })
            foreach (var (k, h) in new[]
                     {
                         (-700.0, 0.0), (700.0, 0.0), (-1e4, 0.0), (1e4, 0.0), (-700.0, 0.5), (-700.0, 700.0), (700.0, -3.0),
                         (-1e4, 1e4), (-1e4, -2e4), (0.7, 1e4), (-0.7, -1e4), (-290.0, 0.3), (-310.0, 0.3), (1e4, 1e-3),
                     })
                foreach (int n in new[] { 2, 3, 8, 9 })
                    data.Add(k, h, n, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(ExtremeChains))]
    public void FiniteChainMatchesLogSpaceEnumeration(double k, double h, int n, Boundary boundary)
    {
        var oracle = new IsingEnumeration(k, h, n, boundary);
        var f = ExactSolver.Solve(new ChainModel(new IsingParameters(k, h), n, boundary)).Finite;
        int bonds = boundary == Boundary.Periodic ? n : n - 1;
        double nn = oracle.Expect(c =>
        {
            double s = 0;
            for (int i = 0; i < bonds; i++) s += IsingEnumeration.Spin(c, i) * IsingEnumeration.Spin(c, (i + 1) % n);
            return s / bonds;
        });
        double m = oracle.Expect(c => Enumerable.Range(0, n).Sum(i => IsingEnumeration.Spin(c, i)) / (double)n);
        Assert.True(double.IsFinite(f.LogPartition!.Value), $"ln Z = {f.LogPartition}");
        Assert.Equal(oracle.LogZ, f.LogPartition!.Value, 1e-12 * Math.Abs(oracle.LogZ) + 1e-12);
        Assert.Equal(m, f.Mean, 1e-9);
        Assert.Equal(nn, f.NearestNeighbour, 1e-9);
        Assert.Equal(1.0, f.SecondMoment, 1e-12);
        Assert.False(double.IsNegativeInfinity(f.CorrelationLength));
    }

    /// <summary>h = 0 ring: Z = λ+^N + λ−^N with λ+ = 2 cosh K, λ− = 2 sinh K, i.e. ln Z = N ln(2 cosh K) + ln(1 + tanh^N K).</summary>
    [Theory]
    [InlineData(700.0, 63)]
    [InlineData(700.0, 64)]
    [InlineData(-700.0, 63)]
    [InlineData(-700.0, 64)]
    [InlineData(1e4, 63)]
    [InlineData(-1e4, 63)]
    [InlineData(-1e4, 1_000_001)]
    [InlineData(-700.0, 1_000_001)]
    [InlineData(1e4, 1_000_000)]
    public void ZeroFieldRingMatchesTheClosedForm(double k, int n)
    {
        double a = Math.Abs(k);
        // ln(2 cosh K) = |K| + ln(1 + e^{−2|K|}); 1 − tanh|K| = δ = 2e^{−2|K|}/(1 + e^{−2|K|}), so
        // tanh^N K = ±(1 − δ)^N and, for δ below every double, 1 − (1 − δ)^N = N δ to all digits.
        double logTwoCosh = a + Math.Log(1 + Math.Exp(-2 * a));
        double logDelta = Math.Log(2) - 2 * a;
        bool frustrated = k < 0 && n % 2 == 1;
        double expected = frustrated ? n * logTwoCosh + Math.Log(n) + logDelta : n * logTwoCosh + Math.Log(2);
        var f = ExactSolver.Solve(new ChainModel(new IsingParameters(k, 0), n)).Finite;
        Assert.Equal(expected, f.LogPartition!.Value, 1e-13 * Math.Abs(expected));
        Assert.Equal(0.0, f.Mean, 1e-12);
        // One frustrated bond out of N on an odd antiferromagnetic ring: ⟨s s'⟩ = −(N − 2)/N.
        double nn = frustrated ? -(n - 2.0) / n : Math.Sign(k);
        Assert.Equal(nn, f.NearestNeighbour, 1e-9);
        Assert.Equal(double.PositiveInfinity, f.CorrelationLength);
    }

    [Theory]
    [InlineData(700.0)]
    [InlineData(-700.0)]
    [InlineData(1e4)]
    [InlineData(-1e4)]
    public void CorrelationLengthBeyondTheLargestDoubleIsPlusInfinity(double k)
    {
        Assert.Equal(double.PositiveInfinity, IsingClosedForms.CorrelationLength(k, 0));
        Assert.Equal(double.PositiveInfinity, ExactSolver.SolveInfinite(new IsingParameters(k, 0)).CorrelationLength);
        // Still finite and exact where it fits: ξ = −1/ln tanh|K| at |K| = 5.
        double xi = -1 / Math.Log(Math.Tanh(5));
        Assert.Equal(xi, IsingClosedForms.CorrelationLength(Math.Sign(k) * 5, 0), 1e-9 * xi);
    }

    [Fact]
    public void TheCommandLineReportsTheFrustratedRingOfTheIssue()
    {
        var r = CliRunner.Run("exact", "--K", "-700", "--N", "63", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.DoesNotContain("NaN", r.Output);
        using var doc = JsonDocument.Parse(r.Output);
        var finite = doc.RootElement.GetProperty("finite");
        Assert.Equal(61 * 700 + Math.Log(126), finite.GetProperty("ln_z").GetDouble(), 1e-9);
        Assert.Equal(0.0, finite.GetProperty("magnetization").GetDouble());
        Assert.Equal(-61.0 / 63, finite.GetProperty("nearest_neighbour_correlation").GetDouble(), 1e-12);
        Assert.Equal("Infinity", finite.GetProperty("correlation_length").GetString());
    }
}
