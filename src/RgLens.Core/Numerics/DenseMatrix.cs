using System.Numerics.Tensors;

namespace RgLens.Numerics;

/// <summary>
/// The few dense kernels the grid methods need, on row-major n × n arrays: matrix-vector products
/// and the product of two commuting symmetric matrices (powers of one transfer kernel), each row
/// or entry a SIMD dot product (TensorPrimitives). Written here because MathNet's managed
/// multiply runs at a few GFLOP/s, too slow for one RG step on a 512-point grid.
/// </summary>
internal static class DenseMatrix
{
    /// <summary>y = A v for a row-major n × n matrix A.</summary>
    public static void Multiply(double[] a, int n, ReadOnlySpan<double> v, Span<double> y)
    {
        for (int i = 0; i < n; i++) y[i] = TensorPrimitives.Dot(a.AsSpan(i * n, n), v);
    }

    /// <summary>
    /// C = X Y for symmetric X and Y with X Y symmetric (powers of one symmetric matrix), formed as
    /// C_ij = (row i of X) · (row j of Y) for j ≥ i and mirrored; rows in parallel.
    /// </summary>
    public static double[] SymmetricProduct(double[] x, double[] y, int n)
    {
        var c = new double[n * n];
        Parallel.For(0, n, i =>
        {
            var xi = x.AsSpan(i * n, n);
            for (int j = i; j < n; j++) c[i * n + j] = TensorPrimitives.Dot(xi, y.AsSpan(j * n, n));
        });
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) c[j * n + i] = c[i * n + j];
        return c;
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
