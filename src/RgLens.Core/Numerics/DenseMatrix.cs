using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// The few dense kernels the grid methods need, on row-major n × n arrays: matrix-vector products
/// and the product of two commuting symmetric matrices (powers of one transfer kernel), each row
/// or entry a SIMD dot product (TensorPrimitives). Written here because MathNet's managed
/// multiply runs at a few GFLOP/s, too slow for one RG step on a 512-point grid.
/// </summary>
internal static class DenseMatrix
{
    /// <summary>y = A v for a row-major n × n matrix A: four rows at a time with 512-bit vectors where available.</summary>
    public static void Multiply(double[] a, int n, ReadOnlySpan<double> v, Span<double> y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 8)
        {
            ref double vr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(v);
            for (; i + 4 <= n; i += 4)
            {
                ref double ar = ref a[i * n];
                Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
                nuint stride = (nuint)n;
                int k = 0;
                for (; k + 8 <= n; k += 8)
                {
                    var vv = Vector512.LoadUnsafe(ref vr, (nuint)k);
                    s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, (nuint)k), vv, s0);
                    s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, stride + (nuint)k), vv, s1);
                    s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, 2 * stride + (nuint)k), vv, s2);
                    s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref ar, 3 * stride + (nuint)k), vv, s3);
                }
                double y0 = Vector512.Sum(s0), y1 = Vector512.Sum(s1), y2 = Vector512.Sum(s2), y3 = Vector512.Sum(s3);
                for (; k < n; k++)
                {
                    double vk = v[k];
                    y0 += a[i * n + k] * vk;
                    y1 += a[(i + 1) * n + k] * vk;
                    y2 += a[(i + 2) * n + k] * vk;
                    y3 += a[(i + 3) * n + k] * vk;
                }
                y[i] = y0;
                y[i + 1] = y1;
                y[i + 2] = y2;
                y[i + 3] = y3;
            }
        }
        for (; i < n; i++) y[i] = TensorPrimitives.Dot(a.AsSpan(i * n, n), v);
    }

    /// <summary>
    /// C = X Y for symmetric X and Y with X Y symmetric (powers of one symmetric matrix), formed as
    /// C_ij = (row i of X) · (row j of Y) for j ≥ i and mirrored; 4 × 4 blocks of C at a time with
    /// 512-bit vectors where the hardware has them (16 accumulators, 16 FMAs per 8 loads), plain dot
    /// products elsewhere; block rows in parallel.
    /// </summary>
    public static double[] SymmetricProduct(double[] x, double[] y, int n)
    {
        var c = new double[n * n];
        int blocks = (n + 3) / 4;
        bool wide = Vector512.IsHardwareAccelerated && n >= 8;
        // The run's cancellation is checked between block rows (O(n²) work each); Parallel throws
        // OperationCanceledException itself, not wrapped.
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = RunCancellation.Token }, bi =>
        {
            int i0 = bi * 4;
            for (int j0 = i0; j0 < n; j0 += 4)
            {
                if (wide && i0 + 4 <= n && j0 + 4 <= n) Block4x4(x, y, n, i0, j0, c);
                else
                    for (int i = i0; i < Math.Min(i0 + 4, n); i++)
                        for (int j = Math.Max(j0, i); j < Math.Min(j0 + 4, n); j++)
                            c[i * n + j] = TensorPrimitives.Dot(x.AsSpan(i * n, n), y.AsSpan(j * n, n));
            }
        });
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) c[j * n + i] = c[i * n + j];
        return c;
    }

    /// <summary>C[i0..i0+3, j0..j0+3] = X rows · Y rows (entries below the diagonal are overwritten by the mirror).</summary>
    private static void Block4x4(double[] x, double[] y, int n, int i0, int j0, double[] c)
    {
        ref double x0 = ref x[i0 * n];
        ref double y0 = ref y[j0 * n];
        Vector512<double> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<double> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        nuint s = (nuint)n;
        int k = 0;
        for (; k + 8 <= n; k += 8)
        {
            nuint o = (nuint)k;
            var v0 = Vector512.LoadUnsafe(ref y0, o);
            var v1 = Vector512.LoadUnsafe(ref y0, s + o);
            var v2 = Vector512.LoadUnsafe(ref y0, 2 * s + o);
            var v3 = Vector512.LoadUnsafe(ref y0, 3 * s + o);
            var u = Vector512.LoadUnsafe(ref x0, o);
            a00 = Vector512.FusedMultiplyAdd(u, v0, a00); a01 = Vector512.FusedMultiplyAdd(u, v1, a01);
            a02 = Vector512.FusedMultiplyAdd(u, v2, a02); a03 = Vector512.FusedMultiplyAdd(u, v3, a03);
            u = Vector512.LoadUnsafe(ref x0, s + o);
            a10 = Vector512.FusedMultiplyAdd(u, v0, a10); a11 = Vector512.FusedMultiplyAdd(u, v1, a11);
            a12 = Vector512.FusedMultiplyAdd(u, v2, a12); a13 = Vector512.FusedMultiplyAdd(u, v3, a13);
            u = Vector512.LoadUnsafe(ref x0, 2 * s + o);
            a20 = Vector512.FusedMultiplyAdd(u, v0, a20); a21 = Vector512.FusedMultiplyAdd(u, v1, a21);
            a22 = Vector512.FusedMultiplyAdd(u, v2, a22); a23 = Vector512.FusedMultiplyAdd(u, v3, a23);
            u = Vector512.LoadUnsafe(ref x0, 3 * s + o);
            a30 = Vector512.FusedMultiplyAdd(u, v0, a30); a31 = Vector512.FusedMultiplyAdd(u, v1, a31);
            a32 = Vector512.FusedMultiplyAdd(u, v2, a32); a33 = Vector512.FusedMultiplyAdd(u, v3, a33);
        }
        Span<double> sums =
        [
            Vector512.Sum(a00), Vector512.Sum(a01), Vector512.Sum(a02), Vector512.Sum(a03),
            Vector512.Sum(a10), Vector512.Sum(a11), Vector512.Sum(a12), Vector512.Sum(a13),
            Vector512.Sum(a20), Vector512.Sum(a21), Vector512.Sum(a22), Vector512.Sum(a23),
            Vector512.Sum(a30), Vector512.Sum(a31), Vector512.Sum(a32), Vector512.Sum(a33),
        ];
        for (int r = 0; r < 4; r++)
            for (int q = 0; q < 4; q++)
            {
                double sum = sums[4 * r + q];
                for (int kk = k; kk < n; kk++) sum += x[(i0 + r) * n + kk] * y[(j0 + q) * n + kk];
                c[(i0 + r) * n + j0 + q] = sum;
            }
    }

    /// <summary>A^p for a symmetric matrix A and p ≥ 1, by repeated squaring.</summary>
    public static double[] SymmetricPower(double[] a, int n, int p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        double[]? result = null;
        double[] square = a;
        for (int e = p; e > 0; e >>= 1)
        {
            if ((e & 1) == 1) result = result is null ? (double[])square.Clone() : SymmetricProduct(result, square, n);
            if (e > 1) square = SymmetricProduct(square, square, n);
        }
        return result!;
    }
}
