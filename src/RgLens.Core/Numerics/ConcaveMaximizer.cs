namespace RgLens.Numerics;

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
        var lastHessian = new double[start.Length * start.Length];
        return Maximize((x, g) => evaluate(x, g, lastHessian), (_, h) => Array.Copy(lastHessian, h, h.Length),
            start, gradientTolerance, divergence, maxIterations);
    }

    /// <summary>
    /// Maximizes f given its value and gradient (<paramref name="valueAndGradient"/>; −∞ outside the
    /// domain, where the line search halves the step) and its Hessian (<paramref name="hessian"/>),
    /// which is asked for only at accepted points, right after their value and gradient.
    /// The run's cancellation (<see cref="RunCancellation"/>) is looked at before every iteration
    /// and every trial point of the line search (<see cref="OperationCanceledException"/>).
    /// </summary>
    /// <remarks>
    /// <paramref name="project"/>, when given, maps every trial point onto the feasible set (a projected
    /// Newton step for bound constraints such as K ≤ 0).
    /// </remarks>
    public static Result Maximize(Func<double[], double[], double> valueAndGradient, Action<double[], double[]> hessian, double[] start,
        double gradientTolerance, double divergence = 40, int maxIterations = 200, Action<double[]>? project = null)
    {
        int d = start.Length;
        var x = (double[])start.Clone();
        var g = new double[d];
        var hess = new double[d * d];
        var gTry = new double[d];
        double f = valueAndGradient(x, g);
        if (!double.IsFinite(f)) return new Result(x, false, false, 0);
        hessian(x, hess);
        for (int it = 1; it <= maxIterations; it++)
        {
            RunCancellation.ThrowIfRequested();
            if (MaxAbs(g) <= gradientTolerance) return new Result(x, true, false, it);
            double[] step = Solve(hess, g, d, out bool newton);
            // Near the maximum a Newton step's predicted gain ½ g·(−H)⁻¹g falls below the round-off
            // of f itself (a mean over up to millions of terms): comparing values then decides on
            // noise, and the halving below used to crawl through all its iterations with the gradient
            // stuck above the tolerance. A Newton step whose gain f cannot resolve is taken whole, as
            // in the quadratic regime it would be anyway; the gradient criterion still decides convergence.
            bool unresolvable = newton && 0.5 * Dot(g, step) <= FunctionRoundOff * Math.Abs(f);
            double t = 1.0;
            var trial = new double[d];
            double fTry;
            while (true)
            {
                RunCancellation.ThrowIfRequested();
                for (int i = 0; i < d; i++) trial[i] = x[i] + t * step[i];
                project?.Invoke(trial);
                fTry = valueAndGradient(trial, gTry);
                if (fTry >= f - FunctionRoundOff * Math.Abs(f) || (unresolvable && t == 1.0 && double.IsFinite(fTry))) break;
                if (t < 1e-10) return new Result(x, false, false, it);
                t *= 0.5;
            }
            if (trial.Any(v => Math.Abs(v) > divergence)) return new Result(trial, false, true, it);
            Array.Copy(trial, x, d);
            Array.Copy(gTry, g, d);
            f = fTry;
            hessian(x, hess);
        }
        return new Result(x, MaxAbs(g) <= gradientTolerance, false, maxIterations);
    }

    /// <summary>
    /// The Hessian of f at x by central differences of its exact gradient, symmetrized; steps[i]
    /// is the step of coordinate i (truncation error O(step²)). Where one side leaves the domain
    /// (f = −∞ there) the one-sided difference with the gradient at x is used instead.
    /// </summary>
    public static void DifferenceHessian(Func<double[], double[], double> valueAndGradient, double[] x, double[] steps, double[] hessian)
    {
        int d = x.Length;
        var gp = new double[d];
        var gm = new double[d];
        double[]? g0 = null;
        var y = (double[])x.Clone();
        for (int c = 0; c < d; c++)
        {
            RunCancellation.ThrowIfRequested();
            y[c] = x[c] + steps[c];
            bool plus = double.IsFinite(valueAndGradient(y, gp));
            y[c] = x[c] - steps[c];
            bool minus = double.IsFinite(valueAndGradient(y, gm));
            y[c] = x[c];
            double width = 2 * steps[c];
            if (!(plus && minus))
            {
                if (g0 is null)
                {
                    g0 = new double[d];
                    valueAndGradient(x, g0);
                }
                if (plus) Array.Copy(g0, gm, d);
                else Array.Copy(g0, gp, d);
                width = steps[c];
            }
            for (int r = 0; r < d; r++) hessian[r * d + c] = (gp[r] - gm[r]) / width;
        }
        for (int r = 0; r < d; r++)
            for (int c = r + 1; c < d; c++)
                hessian[r * d + c] = hessian[c * d + r] = 0.5 * (hessian[r * d + c] + hessian[c * d + r]);
    }

    /// <summary>
    /// Relative round-off allowed in f: a trial point whose value is lower by less than this is not
    /// taken as a decrease.
    /// </summary>
    private const double FunctionRoundOff = 1e-12;

    /// <summary>
    /// The Newton step −H⁻¹ g (Cholesky of −H), <paramref name="newton"/> true; a gradient step
    /// (<paramref name="newton"/> false) when H is not negative definite.
    /// </summary>
    private static double[] Solve(double[] h, double[] g, int d, out bool newton)
    {
        newton = false;
        if (d == 1)
        {
            if (!(h[0] < 0)) return [g[0]];
            newton = true;
            return [-g[0] / h[0]];
        }
        if (d == 2)
        {
            double a = h[0], b = h[1], c = h[2], e = h[3];
            double det = a * e - b * c;
            if (!(a < 0 && det > 0)) return [g[0], g[1]];
            newton = true;
            return [-(e * g[0] - b * g[1]) / det, -(-c * g[0] + a * g[1]) / det];
        }
        var negH = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(d, d, h).Negate();
        try
        {
            var step = negH.Cholesky().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(g)).ToArray();
            if (!step.All(double.IsFinite)) return (double[])g.Clone();
            newton = true;
            return step;
        }
        catch (ArgumentException)
        {
            return (double[])g.Clone();
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double MaxAbs(double[] v) => v.Max(Math.Abs);
}
