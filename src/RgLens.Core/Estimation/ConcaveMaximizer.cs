namespace RgLens.Estimation;

/// <summary>
/// Damped Newton ascent for the small (a few parameters) concave objectives of the chain
/// estimators: a Newton step from the exact gradient and Hessian, halved until the objective
/// does not decrease. Concavity makes the maximum unique; when it does not exist (data on the
/// boundary of the model) the iterates run off to infinity and <see cref="Result.Diverged"/> is set.
/// Written here rather than taken from MathNet because the estimators already have exact
/// Hessians and need the divergence detection; the linear algebra is MathNet's.
/// </summary>
internal static class ConcaveMaximizer
{
    public readonly record struct Result(double[] Argmax, bool Converged, bool Diverged, int Iterations);

    /// <summary>
    /// Maximizes f. <paramref name="evaluate"/> returns the value and fills gradient and Hessian
    /// (row-major d × d). Parameters whose magnitude exceeds <paramref name="divergence"/> count as diverged.
    /// </summary>
    public static Result Maximize(Func<double[], double[], double[], double> evaluate, double[] start,
        double gradientTolerance, double divergence = 40, int maxIterations = 200)
    {
        int d = start.Length;
        var x = (double[])start.Clone();
        var g = new double[d];
        var hess = new double[d * d];
        var gTry = new double[d];
        var hTry = new double[d * d];
        double f = evaluate(x, g, hess);
        for (int it = 1; it <= maxIterations; it++)
        {
            if (MaxAbs(g) <= gradientTolerance) return new Result(x, true, false, it);
            double[] step = Solve(hess, g, d);
            double t = 1.0;
            var trial = new double[d];
            double fTry;
            while (true)
            {
                for (int i = 0; i < d; i++) trial[i] = x[i] + t * step[i];
                fTry = evaluate(trial, gTry, hTry);
                if (fTry >= f - 1e-12 * Math.Abs(f) || t < 1e-10) break;
                t *= 0.5;
            }
            if (trial.Any(v => Math.Abs(v) > divergence)) return new Result(trial, false, true, it);
            Array.Copy(trial, x, d);
            Array.Copy(gTry, g, d);
            Array.Copy(hTry, hess, d);
            f = fTry;
        }
        return new Result(x, MaxAbs(g) <= gradientTolerance, false, maxIterations);
    }

    /// <summary>The Newton step −H⁻¹ g (Cholesky of −H); a gradient step when H is not negative definite.</summary>
    private static double[] Solve(double[] h, double[] g, int d)
    {
        if (d == 1) return h[0] < 0 ? [-g[0] / h[0]] : [g[0]];
        if (d == 2)
        {
            double a = h[0], b = h[1], c = h[2], e = h[3];
            double det = a * e - b * c;
            if (a < 0 && det > 0) return [-(e * g[0] - b * g[1]) / det, -(-c * g[0] + a * g[1]) / det];
            return [g[0], g[1]];
        }
        var negH = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(d, d, h).Negate();
        try
        {
            var step = negH.Cholesky().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(g)).ToArray();
            return step.All(double.IsFinite) ? step : (double[])g.Clone();
        }
        catch (ArgumentException)
        {
            return (double[])g.Clone();
        }
    }

    private static double MaxAbs(double[] v) => v.Max(Math.Abs);
}
