using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>Small matrix helpers of the network engine: transposition and column sums.</summary>
internal static unsafe class MatrixKernels
{
    /// <summary>Block edge of <see cref="Transpose"/>: 16 × 16 floats, 1 KiB, two cache lines per row.</summary>
    private const int Block = 16;

    /// <summary>
    /// destination (cols × rows) = sourceᵀ, source being rows × cols, both row-major and dense;
    /// walked in 16 × 16 blocks so both sides stay in cache.
    /// </summary>
    public static void Transpose(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination) =>
        TransposeRows(source, rows, cols, 0, rows, destination);

    /// <summary>
    /// The columns <paramref name="firstRow"/> … <paramref name="endRow"/> − 1 of destination =
    /// sourceᵀ: only those source rows are read and only those destination columns written, so
    /// threads can share one transposition by row ranges.
    /// </summary>
    public static void TransposeRows(ReadOnlySpan<float> source, int rows, int cols, int firstRow, int endRow, Span<float> destination)
    {
        long count = (long)rows * cols;
        if (source.Length < count) throw new ArgumentException($"source holds {source.Length} floats; {rows} x {cols} needs {count}.", nameof(source));
        if (destination.Length < count) throw new ArgumentException($"destination holds {destination.Length} floats; needs {count}.", nameof(destination));
        if (firstRow < 0 || endRow > rows || firstRow > endRow) throw new ArgumentOutOfRangeException(nameof(firstRow), $"row range [{firstRow}, {endRow}) is not inside [0, {rows}).");
        fixed (float* ps = source, pd = destination)
            for (int r0 = firstRow; r0 < endRow; r0 += Block)
            {
                int r1 = Math.Min(endRow, r0 + Block);
                for (int c0 = 0; c0 < cols; c0 += Block)
                {
                    int c1 = Math.Min(cols, c0 + Block);
                    for (int r = r0; r < r1; r++)
                    {
                        float* row = ps + (long)r * cols;
                        float* column = pd + r;
                        for (int c = c0; c < c1; c++) column[(long)c * rows] = row[c];
                    }
                }
            }
    }

    /// <summary>
    /// sums[j] = Σ_r m[r, j] for the rows × cols row-major <paramref name="m"/>, rows added in order
    /// (from +0, as <see cref="ColumnSumsReference"/>). A strip of columns is summed in one vector
    /// register down all the rows, so narrow matrices (1 … 32 columns, the conv layers' bias
    /// gradients) do not pay a call per row; each lane adds the same values in the same order.
    /// </summary>
    public static void ColumnSums(ReadOnlySpan<float> m, int rows, int cols, Span<float> sums)
    {
        if (m.Length < (long)rows * cols) throw new ArgumentException($"m holds {m.Length} floats; {rows} x {cols} needs {(long)rows * cols}.", nameof(m));
        var s = sums[..cols];
        fixed (float* pm = m, psum = s)
        {
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; c + 16 <= cols; c += 16)
                {
                    var acc = Vector512<float>.Zero;
                    float* p = pm + c;
                    for (int r = 0; r < rows; r++, p += cols) acc += Vector512.Load(p);
                    acc.Store(psum + c);
                }
            for (; c + 8 <= cols; c += 8)
            {
                var acc = Vector256<float>.Zero;
                float* p = pm + c;
                for (int r = 0; r < rows; r++, p += cols) acc += Vector256.Load(p);
                acc.Store(psum + c);
            }
            for (; c < cols; c++)
            {
                float acc = 0f;
                float* p = pm + c;
                for (int r = 0; r < rows; r++, p += cols) acc += *p;
                psum[c] = acc;
            }
        }
    }

    /// <summary>The readable form of <see cref="ColumnSums"/>: one row added at a time.</summary>
    public static void ColumnSumsReference(ReadOnlySpan<float> m, int rows, int cols, Span<float> sums)
    {
        var s = sums[..cols];
        s.Clear();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(s, m.Slice(r * cols, cols), s);
    }
}
