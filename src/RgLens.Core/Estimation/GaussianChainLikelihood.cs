using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Estimation;

/// <summary>
/// Exact maximum likelihood for the Gaussian chain (docs/theory.md, "Estimators"): maximize
/// ℓ(a, K, h) = −(a/2) S̄2 + K B̄ + h S̄1 − ln Z_N(a, K, h), concave (a linear image of the natural
/// parameters), with ln Z_N and the exact expectations E S1, E S2, E B from
/// <see cref="GaussianClosedForms"/> (ring or open chain of the data's N). The gradient is exact; the
/// Hessian is taken by central differences of it. The data are first scaled by their root mean
/// square s (a and K scale by s², h by s), so the tolerances are scale-free.
/// </summary>
internal static class GaussianChainLikelihood
{
    /// <summary>(E S1, E S2, E B) for the N-site chain.</summary>
    public static (double S1, double S2, double Bonds) Expectations(GaussianParameters p, int length, Boundary boundary)
    {
        var o = GaussianClosedForms.Finite(p, length, boundary);
        int bonds = boundary == Boundary.Periodic ? length : length - 1;
        return (length * o.Mean, length * o.SecondMoment, bonds * o.NearestNeighbour);
    }

    /// <summary>
    /// The MLE (a, K, h) from the mean statistics (S̄1, S̄2, B̄); h held at <paramref name="fixedField"/> when set.
    /// Returns NaNs when the maximum does not exist (e.g. every sample constant: the boundary u = ½).
    /// </summary>
    public static double[] Fit(double[] mean, int length, Boundary boundary, double? fixedField)
    {
        double s = Math.Sqrt(mean[1] / length);
        if (!(s > 0)) return [double.NaN, double.NaN, fixedField ?? double.NaN];
        double s1 = mean[0] / s, s2 = mean[1] / (s * s), b = mean[2] / (s * s);
        double[] start = MomentStart(s1, s2, b, length, boundary);
        double? hz = fixedField * s;
        if (hz is double h0) start[2] = h0;
        double ValueAndGradient(double[] z, double[] g)
        {
            var p = new GaussianParameters(z[0], z[1], hz ?? z[2]);
            if (!p.IsInDomain) return double.NegativeInfinity;
            var (e1, e2, eb) = Expectations(p, length, boundary);
            g[0] = -0.5 * s2 + 0.5 * e2;
            g[1] = b - eb;
            if (g.Length > 2) g[2] = s1 - e1;
            return -0.5 * p.Precision * s2 + p.Coupling * b + p.Field * s1 - GaussianClosedForms.LogPartition(p, length, boundary);
        }
        double[] x0 = hz is null ? start : [start[0], start[1]];
        var result = ConcaveMaximizer.Maximize(ValueAndGradient,
            (z, h) => ConcaveMaximizer.DifferenceHessian(ValueAndGradient, z, z.Select(v => 1e-5 * Math.Max(1, Math.Abs(v))).ToArray(), h),
            x0, 1e-10 * length, divergence: 1e12);
        if (!result.Converged) return [double.NaN, double.NaN, fixedField ?? double.NaN];
        var z = result.Argmax;
        return [z[0] / (s * s), z[1] / (s * s), fixedField ?? z[2] / s];
    }

    /// <summary>A start inside the domain from the infinite chain's moment relations.</summary>
    private static double[] MomentStart(double s1, double s2, double b, int length, Boundary boundary)
    {
        int bonds = boundary == Boundary.Periodic ? length : length - 1;
        double m = s1 / length, v = Math.Max(s2 / length - m * m, 1e-6);
        double r = Math.Clamp((b / bonds - m * m) / v, -0.9, 0.9);
        double a = (1 + r * r) / (v * (1 - r * r)), k = a * r / (1 + r * r);
        return [a, k, m * (a - 2 * k)];
    }
}
