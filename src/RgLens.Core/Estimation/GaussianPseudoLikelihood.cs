using RgLens.Numerics;

namespace RgLens.Estimation;

/// <summary>
/// Maximum pseudo-likelihood for the Gaussian chain (Besag 1975): site i given its neighbours is
/// N((h + K m_i)/a, 1/a), m_i the neighbour sum, so the pseudo-likelihood is the least-squares
/// regression of x_i on (1, m_i): with coefficients β0 = h/a, β1 = K/a and residual variance 1/a.
/// With the field held fixed the objective
/// −(a/2)Σx² + KΣmx + hΣx − (h²n + 2hKΣm + K²Σm²)/(2a) + (n/2) ln a is maximized by Newton in (a, K).
/// </summary>
internal static class GaussianPseudoLikelihood
{
    /// <summary>(a, K, h) from the mean statistics [Σx, Σx², Σm, Σm², Σmx] of n sites per sample; NaNs when degenerate.</summary>
    public static double[] Fit(double[] mean, int n, double? fixedField)
    {
        double sx = mean[0], sxx = mean[1], sm = mean[2], smm = mean[3], smx = mean[4];
        double det = n * smm - sm * sm;
        if (!(det > 1e-14 * n * smm)) return [double.NaN, double.NaN, fixedField ?? double.NaN];
        double b0 = (smm * sx - sm * smx) / det, b1 = (n * smx - sm * sx) / det;
        double residual = (sxx - b0 * sx - b1 * smx) / n;
        if (!(residual > 0)) return [double.NaN, double.NaN, fixedField ?? double.NaN];
        double a = 1 / residual;
        if (fixedField is not double h) return [a, b1 * a, b0 * a];
        double Value(double[] z, double[] g)
        {
            double ap = z[0], k = z[1];
            if (!(ap > 0)) return double.NegativeInfinity;
            double q = h * h * n + 2 * h * k * sm + k * k * smm;
            g[0] = -0.5 * sxx + q / (2 * ap * ap) + n / (2 * ap);
            g[1] = smx - (h * sm + k * smm) / ap;
            return -0.5 * ap * sxx + k * smx + h * sx - q / (2 * ap) + 0.5 * n * Math.Log(ap);
        }
        void Hessian(double[] z, double[] hs)
        {
            double ap = z[0], k = z[1];
            double q = h * h * n + 2 * h * k * sm + k * k * smm;
            hs[0] = -q / (ap * ap * ap) - n / (2 * ap * ap);
            hs[1] = hs[2] = (h * sm + k * smm) / (ap * ap);
            hs[3] = -smm / ap;
        }
        var r = ConcaveMaximizer.Maximize(Value, Hessian, [a, b1 * a], 1e-10 * n * Math.Max(1, sxx / n), divergence: 1e15);
        return r.Converged ? [r.Argmax[0], r.Argmax[1], h] : [double.NaN, double.NaN, h];
    }
}
