using System.Numerics.Tensors;

namespace RgLens.Numerics;

/// <summary>
/// The largest eigenvalue and its unit eigenvector of a symmetric operator given only its action
/// on vectors: restarted Lanczos (Lanczos 1950; Golub and Van Loan §10.1) with full
/// reorthogonalization, the Ritz pair of the tridiagonal matrix found by Sturm bisection and
/// inverse iteration. For the Perron eigenpair of a positive transfer kernel the vector is returned
/// with a positive sum. Cost: one matrix-vector product per Lanczos step; a warm start (the
/// eigenvector of a nearby operator) cuts the steps.
/// </summary>
internal static class LeadingEigenpair
{
    /// <summary>Krylov dimension before a restart.</summary>
    public const int KrylovSize = 48;

    /// <summary>Stop when ‖A v − θ v‖ ≤ <paramref name="tolerance"/> · |θ|, or when restarts stop improving.</summary>
    public static (double Value, double[] Vector) Compute(Action<double[], double[]> multiply, int n, double[]? start = null, double tolerance = 1e-13)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        int m = Math.Min(KrylovSize, n);
        var basis = new double[m][];
        for (int i = 0; i < m; i++) basis[i] = new double[n];
        var alpha = new double[m];
        var beta = new double[m];
        var w = new double[n];
        var q = start is null ? Enumerable.Repeat(1.0, n).ToArray() : (double[])start.Clone();
        double best = double.PositiveInfinity;
        double value = 0;
        var vector = new double[n];
        for (int restart = 0; restart < 200; restart++)
        {
            double norm = Math.Sqrt(TensorPrimitives.Dot(q, q));
            if (!(norm > 0)) throw new InvalidOperationException("Lanczos start vector vanished.");
            TensorPrimitives.Divide(q, norm, basis[0]);
            int steps = 0;
            bool invariant = false;
            for (int k = 0; k < m; k++)
            {
                multiply(basis[k], w);
                alpha[k] = TensorPrimitives.Dot(basis[k], w);
                for (int pass = 0; pass < 2; pass++)
                    for (int j = 0; j <= k; j++)
                    {
                        double c = TensorPrimitives.Dot(basis[j], w);
                        TensorPrimitives.MultiplyAdd(basis[j], -c, w, w);
                    }
                beta[k] = Math.Sqrt(TensorPrimitives.Dot(w, w));
                steps = k + 1;
                if (beta[k] <= 1e-15 * Math.Abs(alpha[k]) || beta[k] == 0) { invariant = true; break; }
                if (k + 1 < m)
                {
                    if ((k + 1) % 8 == 0 && RitzResidual(alpha, beta, steps) <= 0.1 * tolerance) break;
                    TensorPrimitives.Divide(w, beta[k], basis[k + 1]);
                }
            }
            var (theta, y) = TopTridiagonal(alpha, beta, steps);
            Array.Clear(vector);
            for (int j = 0; j < steps; j++) TensorPrimitives.MultiplyAdd(basis[j], y[j], vector, vector);
            double vn = Math.Sqrt(TensorPrimitives.Dot(vector, vector));
            TensorPrimitives.Divide(vector, vn, vector);
            multiply(vector, w);
            theta = TensorPrimitives.Dot(vector, w);
            TensorPrimitives.MultiplyAdd(vector, -theta, w, w);
            double residual = Math.Sqrt(TensorPrimitives.Dot(w, w));
            value = theta;
            if (invariant || residual <= tolerance * Math.Abs(theta) || steps == n) break;
            if (residual >= 0.5 * best && restart > 2) break; // stagnated at rounding level
            best = Math.Min(best, residual);
            Array.Copy(vector, q, n);
        }
        if (TensorPrimitives.Sum(vector) < 0) TensorPrimitives.Negate(vector, vector);
        return (value, vector);
    }

    /// <summary>|β_k y_k| for the top Ritz pair of the k-step tridiagonal matrix: the residual of its Ritz vector.</summary>
    private static double RitzResidual(double[] alpha, double[] beta, int k)
    {
        var (theta, y) = TopTridiagonal(alpha, beta, k);
        return Math.Abs(beta[k - 1] * y[k - 1]) / Math.Max(Math.Abs(theta), double.Epsilon);
    }

    /// <summary>The largest eigenvalue (Sturm bisection) and unit eigenvector (inverse iteration) of the tridiagonal (α, β).</summary>
    internal static (double Value, double[] Vector) TopTridiagonal(double[] alpha, double[] beta, int k)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int i = 0; i < k; i++)
        {
            double r = (i > 0 ? Math.Abs(beta[i - 1]) : 0) + (i < k - 1 ? Math.Abs(beta[i]) : 0);
            lo = Math.Min(lo, alpha[i] - r);
            hi = Math.Max(hi, alpha[i] + r);
        }
        // Largest eigenvalue: the largest x with at least one eigenvalue ≥ x (count of eigenvalues < x is k − 1 just below it).
        for (int it = 0; it < 200 && hi - lo > 4e-16 * Math.Max(Math.Abs(lo), Math.Abs(hi)); it++)
        {
            double mid = 0.5 * (lo + hi);
            if (CountBelow(alpha, beta, k, mid) == k) hi = mid;
            else lo = mid;
        }
        double theta = hi;
        // Inverse iteration with a tiny shift above θ: (T − σ I) y = y, σ = θ + δ.
        double shift = theta + 1e-13 * Math.Max(1, Math.Abs(theta));
        var y = Enumerable.Repeat(1.0, k).ToArray();
        for (int it = 0; it < 3; it++)
        {
            SolveShifted(alpha, beta, k, shift, y);
            double nrm = Math.Sqrt(y.Sum(v => v * v));
            for (int i = 0; i < k; i++) y[i] /= nrm;
        }
        return (theta, y);
    }

    /// <summary>Number of eigenvalues of the tridiagonal matrix below x (Sturm sequence via the LDLᵀ pivots).</summary>
    private static int CountBelow(double[] alpha, double[] beta, int k, double x)
    {
        int count = 0;
        double d = 1;
        for (int i = 0; i < k; i++)
        {
            double b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
            d = alpha[i] - x - (i > 0 ? b2 / d : 0);
            if (d == 0) d = -1e-300;
            if (d < 0) count++;
        }
        return count;
    }

    /// <summary>Solves (T − σ I) y = y in place by Gaussian elimination with partial pivoting on the tridiagonal system.</summary>
    private static void SolveShifted(double[] alpha, double[] beta, int k, double sigma, double[] y)
    {
        var diag = new double[k];
        var upper = new double[k];
        var upper2 = new double[k];
        var lowerRow = new double[k];
        for (int i = 0; i < k; i++)
        {
            diag[i] = alpha[i] - sigma;
            upper[i] = i < k - 1 ? beta[i] : 0;
            lowerRow[i] = i > 0 ? beta[i - 1] : 0;
        }
        // Forward elimination with row swaps (LAPACK dgtsv style).
        for (int i = 0; i < k - 1; i++)
        {
            double l = lowerRow[i + 1];
            if (Math.Abs(diag[i]) >= Math.Abs(l))
            {
                if (diag[i] == 0) diag[i] = 1e-300;
                double f = l / diag[i];
                diag[i + 1] -= f * upper[i];
                y[i + 1] -= f * y[i];
                upper2[i] = 0;
            }
            else
            {
                double f = diag[i] / l;
                // swap rows i and i+1
                double d1 = l, u1 = diag[i + 1], u2 = i + 1 < k - 1 ? upper[i + 1] : 0;
                diag[i + 1] = upper[i] - f * u1;
                double newUpper2 = -f * u2;
                diag[i] = d1;
                upper[i] = u1;
                upper2[i] = u2;
                if (i + 1 < k - 1) upper[i + 1] = newUpper2;
                (y[i], y[i + 1]) = (y[i + 1], y[i] - f * y[i + 1]);
            }
        }
        if (diag[k - 1] == 0) diag[k - 1] = 1e-300;
        y[k - 1] /= diag[k - 1];
        if (k > 1) y[k - 2] = (y[k - 2] - upper[k - 2] * y[k - 1]) / diag[k - 2];
        for (int i = k - 3; i >= 0; i--) y[i] = (y[i] - upper[i] * y[i + 1] - upper2[i] * y[i + 2]) / diag[i];
    }
}
