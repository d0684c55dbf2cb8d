using System.Runtime.Intrinsics;
using System.Numerics.Tensors;

namespace RgLens.Numerics;

/// <summary>
/// Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix held row-major in a
/// flat array, in place (L overwrites the lower triangle; the upper triangle is left alone), and
/// the solves that use it. Left-looking by blocks of 4 rows: entry (i, j) of L needs the dot
/// product of the first j entries of rows i and j, which are contiguous; the dot products of 4
/// rows against 4 earlier rows are taken together over their common length (16 vector
/// accumulators, each loaded row used 4 times) and the few remaining terms of the 4 × 4 tile
/// are subtracted one by one. Written here rather than taken from MathNet because the probes
/// factor 1000 × 1000 Hessians and correlation matrices many times per layer (the per-unit
/// Ising fit of every binary reading, the multi-information of every reading): a 1025 × 1025
/// factor takes about 60 ms with one dot product per entry and several times less by tiles.
/// <see cref="FactorReference"/> keeps the scalar triple loop beside it for the tests.
/// </summary>
internal static class Cholesky
{
    /// <summary>Factors the d × d matrix <paramref name="a"/> in place; false when it is not (numerically) positive definite.</summary>
    public static unsafe bool Factor(Span<double> a, int d)
    {
        if (a.Length < (long)d * d) throw new ArgumentException("the array is smaller than d × d.", nameof(a));
        Span<double> tile = stackalloc double[16];
        fixed (double* p = a)
        {
            for (int i0 = 0; i0 < d; i0 += 4)
            {
                int ib = Math.Min(4, d - i0);
                double* rowsI = p + (long)i0 * d;
                // Columns j0 < i0 by tiles of 4 (i0 is a multiple of 4, so each tile is whole).
                for (int j0 = 0; j0 < i0; j0 += 4)
                {
                    double* rowsJ = p + (long)j0 * d;
                    DotTile(rowsI, ib, rowsJ, 4, d, j0, tile);
                    for (int b = 0; b < 4; b++)
                    {
                        int j = j0 + b;
                        double* rj = rowsJ + (long)b * d;
                        for (int r = 0; r < ib; r++)
                        {
                            double* ri = rowsI + (long)r * d;
                            double v = ri[j] - tile[r * 4 + b];
                            for (int c = j0; c < j; c++) v -= ri[c] * rj[c];
                            ri[j] = v / rj[j];
                        }
                    }
                }
                // The diagonal block.
                DotTile(rowsI, ib, rowsI, ib, d, i0, tile);
                for (int r = 0; r < ib; r++)
                {
                    int i = i0 + r;
                    double* ri = rowsI + (long)r * d;
                    for (int b = 0; b < r; b++)
                    {
                        int j = i0 + b;
                        double* rj = rowsI + (long)b * d;
                        double v = ri[j] - tile[r * 4 + b];
                        for (int c = i0; c < j; c++) v -= ri[c] * rj[c];
                        ri[j] = v / rj[j];
                    }
                    double diag = ri[i] - tile[r * 4 + r];
                    for (int c = i0; c < i; c++) diag -= ri[c] * ri[c];
                    if (!(diag > 0) || !double.IsFinite(diag)) return false;
                    ri[i] = Math.Sqrt(diag);
                }
            }
        }
        return true;
    }

    /// <summary>
    /// tile[r·4 + b] = Σ_{k &lt; length} x_r[k] y_b[k] for rows x_r = <paramref name="x"/> + r·stride
    /// (r &lt; <paramref name="nx"/>) and y_b = <paramref name="y"/> + b·stride (b &lt; <paramref name="ny"/>), both at most 4.
    /// </summary>
    private static unsafe void DotTile(double* x, int nx, double* y, int ny, int stride, int length, Span<double> tile)
    {
        if (nx == 4 && ny == 4 && Vector256.IsHardwareAccelerated && length >= 4)
        {
            double* x0 = x, x1 = x + stride, x2 = x + 2L * stride, x3 = x + 3L * stride;
            double* y0 = y, y1 = y + stride, y2 = y + 2L * stride, y3 = y + 3L * stride;
            Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector256<double> s10 = default, s11 = default, s12 = default, s13 = default;
            Vector256<double> s20 = default, s21 = default, s22 = default, s23 = default;
            Vector256<double> s30 = default, s31 = default, s32 = default, s33 = default;
            int k = 0;
            for (; k + 4 <= length; k += 4)
            {
                var a0 = Vector256.Load(x0 + k); var a1 = Vector256.Load(x1 + k); var a2 = Vector256.Load(x2 + k); var a3 = Vector256.Load(x3 + k);
                var b0 = Vector256.Load(y0 + k); var b1 = Vector256.Load(y1 + k); var b2 = Vector256.Load(y2 + k); var b3 = Vector256.Load(y3 + k);
                s00 = Vector256.FusedMultiplyAdd(a0, b0, s00); s01 = Vector256.FusedMultiplyAdd(a0, b1, s01); s02 = Vector256.FusedMultiplyAdd(a0, b2, s02); s03 = Vector256.FusedMultiplyAdd(a0, b3, s03);
                s10 = Vector256.FusedMultiplyAdd(a1, b0, s10); s11 = Vector256.FusedMultiplyAdd(a1, b1, s11); s12 = Vector256.FusedMultiplyAdd(a1, b2, s12); s13 = Vector256.FusedMultiplyAdd(a1, b3, s13);
                s20 = Vector256.FusedMultiplyAdd(a2, b0, s20); s21 = Vector256.FusedMultiplyAdd(a2, b1, s21); s22 = Vector256.FusedMultiplyAdd(a2, b2, s22); s23 = Vector256.FusedMultiplyAdd(a2, b3, s23);
                s30 = Vector256.FusedMultiplyAdd(a3, b0, s30); s31 = Vector256.FusedMultiplyAdd(a3, b1, s31); s32 = Vector256.FusedMultiplyAdd(a3, b2, s32); s33 = Vector256.FusedMultiplyAdd(a3, b3, s33);
            }
            tile[0] = Vector256.Sum(s00); tile[1] = Vector256.Sum(s01); tile[2] = Vector256.Sum(s02); tile[3] = Vector256.Sum(s03);
            tile[4] = Vector256.Sum(s10); tile[5] = Vector256.Sum(s11); tile[6] = Vector256.Sum(s12); tile[7] = Vector256.Sum(s13);
            tile[8] = Vector256.Sum(s20); tile[9] = Vector256.Sum(s21); tile[10] = Vector256.Sum(s22); tile[11] = Vector256.Sum(s23);
            tile[12] = Vector256.Sum(s30); tile[13] = Vector256.Sum(s31); tile[14] = Vector256.Sum(s32); tile[15] = Vector256.Sum(s33);
            for (; k < length; k++)
                for (int r = 0; r < 4; r++)
                    for (int b = 0; b < 4; b++) tile[r * 4 + b] += x[r * (long)stride + k] * y[b * (long)stride + k];
            return;
        }
        for (int r = 0; r < nx; r++)
            for (int b = 0; b < ny; b++)
                tile[r * 4 + b] = TensorPrimitives.Dot(new ReadOnlySpan<double>(x + r * (long)stride, length), new ReadOnlySpan<double>(y + b * (long)stride, length));
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
