using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>Runs the decimation flow of docs/theory.md, "Decimation and its fixed points" and analyses where it goes.</summary>
public static class RgFlow
{
    /// <summary>Iterates R_b <paramref name="steps"/> times from <paramref name="theta0"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">b &lt; 2 or steps &lt; 0.</exception>
    /// <exception cref="ModelDomainException">θ0 outside the family's domain.</exception>
    public static RgFlowResult Run(ChainParameters theta0, int scaleFactor, int steps, GridOptions? grid = null)
    {
        ArgumentNullException.ThrowIfNull(theta0);
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), $"the number of steps must be >= 0; got {steps}.");
        theta0.Validate();
        var map = DecimationMap.For(theta0.Family, grid);
        var flow = new List<RgStep>(steps + 1) { new(0, theta0, 0.0, 0.0) };
        var current = theta0;
        for (int n = 1; n <= steps; n++)
        {
            RunCancellation.ThrowIfRequested();
            var step = map.Step(current, scaleFactor, n);
            flow.Add(step);
            current = step.Parameters;
        }
        RunCancellation.ThrowIfRequested();
        var star = map.StableFixedPoint(theta0);
        RunCancellation.ThrowIfRequested();
        var report = StabilityAnalysis.AtFixedPoint(map, star, scaleFactor);
        double[] a = current.Values(), s = star.Values();
        double distance = a.Zip(s, (x, y) => Math.Abs(x - y)).Max();
        return new RgFlowResult(scaleFactor, flow, report, distance, map.UnstableFixedPoints(scaleFactor));
    }

    /// <summary>The b-step point R_b(θ0), i.e. one decimation by b (Ising: K_b = atanh(tanh^b K0) at h = 0).</summary>
    public static ChainParameters Decimate(ChainParameters theta0, int scaleFactor, GridOptions? grid = null) =>
        DecimationMap.For(theta0.Family, grid).Step(theta0, scaleFactor).Parameters;
}
