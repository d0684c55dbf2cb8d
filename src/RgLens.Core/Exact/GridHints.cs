using RgLens.Models;

namespace RgLens.Exact;

/// <summary>
/// Where a family's grid search starts (docs/families.md, "Grids"): a range that bounds the
/// marginal's tails by a potential that ignores the normalization, and a coarse spacing. The
/// search in <see cref="GridSelector"/> then widens, trims and refines it until the requested
/// accuracy is met, so a hint only needs to be of the right order.
/// </summary>
internal static class GridHints
{
    /// <summary>The starting grid for θ; <paramref name="depth"/> is the tail depth −ln(tail mass) to cover.</summary>
    public static QuadratureGrid Initial(ChainParameters p, double depth) => p switch
    {
        IsingParameters => QuadratureGrid.States(-1, 1),
        BernoulliParameters => QuadratureGrid.States(0, 1),
        GaussianParameters g => Gaussian(g, depth),
        Phi4Parameters f => Phi4(f, depth),
        PoissonParameters q => QuadratureGrid.Counts((int)Math.Ceiling(q.Rate + Math.Sqrt(2 * depth * Math.Max(q.Rate, 1)) + depth)),
        GammaParameters g => Gamma(g, depth),
        _ => throw new RgLensException($"no grid is defined for the {p.Family.Name} family."),
    };

    private static QuadratureGrid Gaussian(GaussianParameters g, double depth)
    {
        double mu = GaussianClosedForms.Mean(g), sd = Math.Sqrt(GaussianClosedForms.InfiniteCovariance(g, 0));
        double half = Math.Sqrt(2 * depth) * sd;
        return Odd(GridCoordinate.Linear, mu - half, mu + half, 2 * half / (1 / Math.Sqrt(g.Precision)));
    }

    /// <summary>|x| ≤ R where V(x) = λx⁴ + (a/2 − |K|)x² − |h||x|, the single-site potential with every bond at its largest, rises by the depth above its minimum.</summary>
    private static QuadratureGrid Phi4(Phi4Parameters f, double depth)
    {
        double V(double x) => f.Quartic * x * x * x * x + (f.Quadratic / 2 - Math.Abs(f.Coupling)) * x * x - Math.Abs(f.Field) * x;
        double hi = 1;
        while (V(hi) < V(0) + depth || V(hi) <= V(hi / 2)) hi *= 2;
        double min = Enumerable.Range(0, 201).Min(i => V(hi * i / 200));
        double lo = 0;
        for (int it = 0; it < 100; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (V(mid) - min >= depth && V(mid) >= V(mid * (1 - 1e-9))) hi = mid;
            else lo = mid;
        }
        double curvature = Math.Max(Math.Abs(f.Quadratic) + 12 * f.Quartic * hi * hi / 9, 1e-6);
        return Odd(GridCoordinate.Linear, -hi, hi, 2 * hi * Math.Sqrt(curvature));
    }

    /// <summary>In t = ln x the independent Gamma(α, β) has log-density αt − βe^t; K ≤ 0 only lightens its right tail.</summary>
    private static QuadratureGrid Gamma(GammaParameters g, double depth)
    {
        double mode = Math.Log(g.Shape / g.Rate);
        double F(double t) => g.Shape * t - g.Rate * Math.Exp(t);
        double top = F(mode);
        double lower = mode - depth / g.Shape;
        double upper = mode + 1;
        while (top - F(upper) < depth) upper += 1;
        return Odd(GridCoordinate.Logarithmic, lower, upper, 3 * (upper - lower) * Math.Sqrt(g.Shape) / 2);
    }

    /// <summary>A uniform grid of 2^k + 1 points with about <paramref name="cells"/> cells (at least 16).</summary>
    private static QuadratureGrid Odd(GridCoordinate coordinate, double lower, double upper, double cells)
    {
        int points = 17;
        while (points - 1 < cells && points < 1025) points = 2 * points - 1;
        return QuadratureGrid.Uniform(coordinate, lower, upper, points);
    }
}
