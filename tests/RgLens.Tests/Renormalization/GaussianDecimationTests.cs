using RgLens.Exact;
using RgLens.Models;
using RgLens.Renormalization;

namespace RgLens.Tests.Renormalization;

public class GaussianDecimationTests
{
    private static readonly GaussianParameters[] Points =
        [new(2, 0.7, 0.3), new(1, 0.4, 0), new(1, -0.45, 0.2), new(3, 1.45, -1), new(1, 0.0, 0.5), new(0.7, -0.3, -0.4)];

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerances.Exact * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void AnyScaleFactorMatchesTheSchurComplementClosedForms()
    {
        foreach (var p in Points)
        {
            var (c, gc) = GaussianDecimation.StepClosedFormB2(p);
            var (s, gs) = GaussianDecimation.Step(p, 2);
            Close(c.Precision, s.Precision, $"a' at {p}");
            Close(c.Coupling, s.Coupling, $"K' at {p}");
            Close(c.Field, s.Field, $"h' at {p}");
            Close(gc, gs, $"g' at {p}");
            // b = 4 is two b = 2 steps, with the constants adding per kept site: g_4 = 2 g_2 + g_2'.
            var (t, gt) = GaussianDecimation.StepClosedFormB2(c);
            var (f, gf) = GaussianDecimation.Step(p, 4);
            Close(t.Precision, f.Precision, "a_4");
            Close(t.Coupling, f.Coupling, "K_4");
            Close(t.Field, f.Field, "h_4");
            Close(2 * gc + gt, gf, "g_4");
        }
    }

    [Fact]
    public void DecimationPreservesTheMarginalAndRaisesRhoToThePowerB()
    {
        foreach (var p in Points)
            foreach (int b in new[] { 2, 3, 5, 8 })
            {
                var (q, _) = GaussianDecimation.Step(p, b);
                Close(Math.Pow(GaussianClosedForms.LagOneCorrelation(p), b), GaussianClosedForms.LagOneCorrelation(q), $"rho_{b}");
                Close(GaussianClosedForms.InfiniteCovariance(p, 0), GaussianClosedForms.InfiniteCovariance(q, 0), "variance");
                Close(GaussianClosedForms.Mean(p), GaussianClosedForms.Mean(q), "mean");
                Close(GaussianClosedForms.InfiniteCovariance(p, b), GaussianClosedForms.InfiniteCovariance(q, 1), "Cov(x_0, x_b)");
            }
    }

    [Theory]
    [InlineData(24, 2)]
    [InlineData(24, 3)]
    [InlineData(32, 4)]
    public void RingPartitionFunctionFactorizesExactly(int n, int b)
    {
        // Decimating a ring of N sites gives a ring of N/b sites: ln Z_N(θ) = (N/b) g_b + ln Z_{N/b}(θ_b).
        foreach (var p in Points)
        {
            var (q, g) = GaussianDecimation.Step(p, b);
            Close(GaussianClosedForms.LogPartition(p, n, Boundary.Periodic),
                n / b * g + GaussianClosedForms.LogPartition(q, n / b, Boundary.Periodic), $"ln Z at {p}, b={b}");
        }
    }

    [Fact]
    public void FlowReachesTheMarginalFixedPointSuperstablyInK()
    {
        var p = new GaussianParameters(2, 0.7, 0.3);
        var flow = RgFlow.Run(p, 2, 8);
        var star = (GaussianParameters)GaussianFamily.Instance.Create(flow.FixedPoint.Values.ToArray());
        double v = GaussianClosedForms.InfiniteCovariance(p, 0);
        Close(1 / v, star.Precision, "a* = 1/Var");
        Assert.Equal(0.0, star.Coupling);
        Close(GaussianClosedForms.Mean(p) / v, star.Field, "h* = mean/Var");
        Assert.True(flow.DistanceToFixedPoint < 1e-12, $"distance {flow.DistanceToFixedPoint}");
        Assert.True(flow.FixedPoint.Stable);
        var eig = flow.FixedPoint.Eigenvalues.OrderBy(x => x).ToArray();
        Assert.Equal(0.0, eig[0], 1e-8);
        Assert.Equal(1.0, eig[1], 1e-8);
        Assert.Equal(1.0, eig[2], 1e-8);
        Assert.All(flow.Steps, s => Assert.Equal(0.0, s.ProjectionResidual));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void MasslessPointIsUnstableWithSlopeBSquaredInU(int b)
    {
        var report = GaussianDecimation.Instance.UnstableFixedPoints(b).Single();
        Assert.False(report.Stable);
        Assert.Equal(new[] { b * (double)b, b }, report.Eigenvalues);
        // The analytic limit against the map itself, close to u = 1/2: (1 − 2u_b)/(1 − 2u) → b² and h_b/h → b.
        double w = 1e-12;
        var p = new GaussianParameters(1, (1 - w) / 2, 1e-9);
        var (q, _) = GaussianDecimation.Step(p, b);
        double wb = 1 - 2 * q.Coupling / q.Precision;
        Assert.Equal(b * b, wb / w, 1e-4 * b * b);
        Assert.Equal(b, q.Field / p.Field, 1e-4 * b);
        Assert.Equal(0.5, report.Values[0]);
    }
}
