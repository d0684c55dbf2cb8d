using RgLens.Numerics;
namespace RgLens.Estimation;

/// <summary>
/// Maximum pseudo-likelihood for the Ising chain (Besag 1975; Aurell and Ekeberg, PRL 108, 090201,
/// 2012): maximize Σ_c p_c [ s (h + K m) − ln 2 cosh(h + K m) ] over the mean counts p_c of the
/// (s, m) categories, m the neighbour sum of a site. Concave, with exact gradient and Hessian;
/// consistent but less efficient than the exact MLE.
/// </summary>
internal static class IsingPseudoLikelihood
{
    /// <summary>Fits (K, h), or K alone when <paramref name="fixedField"/> is set.</summary>
    public static ConcaveMaximizer.Result Fit(double[] meanCounts, double? fixedField)
    {
        double total = meanCounts.Sum();
        Func<double[], double[], double[], double> evaluate = fixedField is double hf
            ? (x, g, hess) =>
            {
                var g2 = new double[2];
                var h2 = new double[4];
                double f = Evaluate(x[0], hf, meanCounts, g2, h2);
                g[0] = g2[0];
                hess[0] = h2[0];
                return f;
            }
            : (x, g, hess) => Evaluate(x[0], x[1], meanCounts, g, hess);
        double[] start = fixedField is null ? [0.0, 0.0] : [0.0];
        return ConcaveMaximizer.Maximize(evaluate, start, 1e-12 * Math.Max(1, total));
    }

    private static double Evaluate(double k, double h, double[] counts, double[] g, double[] hess)
    {
        double f = 0;
        Array.Clear(g);
        Array.Clear(hess);
        for (int c = 0; c < IsingStatistics.Categories; c++)
        {
            double n = counts[c];
            if (n == 0) continue;
            var (s, m) = IsingStatistics.Decode(c);
            double a = h + k * m;
            double t = Math.Tanh(a);
            double sech2 = 1 - t * t;
            f += n * (s * a - Numerics.LogMath.LogCosh(a) - Math.Log(2));
            double r = s - t;
            g[0] += n * r * m;
            g[1] += n * r;
            hess[0] -= n * sech2 * m * m;
            hess[1] -= n * sech2 * m;
            hess[3] -= n * sech2;
        }
        hess[2] = hess[1];
        return f;
    }
}
