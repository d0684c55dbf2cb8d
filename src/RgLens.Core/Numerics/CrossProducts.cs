using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// Centered cross-products of the columns of two sample matrices over their rows,
/// C = Σ_r (x_r − x̄)(y_r − ȳ)ᵀ (m × d, row-major, double), the cost at the heart of every
/// covariance a probe takes of a wide layer (n · m · d multiply-adds: 10¹¹ for a 1024-unit layer
/// against a 1024-site input on 100,000 samples). The rows are cut into fixed chunks of
/// <see cref="ChunkRows"/>; each chunk is centered into float32 and multiplied by the engine's
/// <see cref="Gemm"/>, and the chunk products are added into double accumulators in chunk order.
/// The chunking does not depend on the thread count (threads take whole chunks, and the sums are
/// made in chunk order), so the result is the same bits on 1 or 16 threads. Precision: each
/// chunk product carries float32 rounding, a relative error of about √2048 · 6·10⁻⁸ ≈ 3·10⁻⁶ of
/// the chunk's |x||y| in the worst realistic case; centering first keeps that relative to the
/// spread, not the mean. <see cref="Reference"/> is the plain double loop the tests compare with.
/// </summary>
internal static class CrossProducts
{
    /// <summary>Rows per chunk.</summary>
    public const int ChunkRows = 2048;

    /// <summary>
    /// The means of the <paramref name="chosen"/> columns (column-major, n values each), each sum taken
    /// in double in row order, four columns at a time in the lanes of one vector (the same bits as one
    /// column at a time, without waiting on each addition).
    /// </summary>
    public static double[] MeansOfColumns(float[] columns, int n, IReadOnlyList<int> chosen)
    {
        int k = chosen.Count;
        var mean = new double[k];
        for (int c0 = 0; c0 < k; c0 += 4)
        {
            int count = Math.Min(4, k - c0);
            var x0 = ContinuousColumn(columns, n, chosen[c0]);
            var x1 = ContinuousColumn(columns, n, chosen[c0 + Math.Min(1, count - 1)]);
            var x2 = ContinuousColumn(columns, n, chosen[c0 + Math.Min(2, count - 1)]);
            var x3 = ContinuousColumn(columns, n, chosen[c0 + Math.Min(3, count - 1)]);
            var s = Vector256<double>.Zero;
            for (int r = 0; r < n; r++) s += Vector256.Create((double)x0[r], x1[r], x2[r], x3[r]);
            for (int l = 0; l < count; l++) mean[c0 + l] = s.GetElement(l) / n;
        }
        return mean;
    }

    private static ReadOnlySpan<float> ContinuousColumn(float[] columns, int n, int j) => columns.AsSpan((int)((long)j * n), n);

    /// <summary>Column means in double.</summary>
    public static double[] ColumnMeans<T>(RowMajor<T> x) where T : unmanaged, System.Numerics.INumber<T>
    {
        int n = x.Rows, m = x.Columns;
        var mean = new double[m];
        var chunk = new double[m];
        // Per-chunk sums then a sum of chunks, so that long columns do not lose low bits.
        for (int start = 0; start < n; start += ChunkRows)
        {
            Array.Clear(chunk);
            int end = Math.Min(n, start + ChunkRows);
            for (int r = start; r < end; r++)
            {
                var row = x.Row(r);
                if (typeof(T) == typeof(float))
                {
                    ColumnAccumulate.Add(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(row), chunk); // the same sums, by vectors of columns
                    continue;
                }
                for (int j = 0; j < m; j++) chunk[j] += double.CreateTruncating(row[j]);
            }
            for (int j = 0; j < m; j++) mean[j] += chunk[j];
        }
        for (int j = 0; j < m; j++) mean[j] /= n;
        return mean;
    }

    /// <summary>
    /// Σ_r (x_r − <paramref name="xMean"/>)(y_r − <paramref name="yMean"/>)ᵀ, m × d row-major; pass
    /// the same matrix and means twice for the Gram matrix (then only one centered copy is made).
    /// </summary>
    public static double[] Centered<T, U>(RowMajor<T> x, double[] xMean, RowMajor<U> y, double[] yMean, int threads = 1,
        CancellationToken cancellation = default)
        where T : unmanaged, System.Numerics.INumber<T> where U : unmanaged, System.Numerics.INumber<U>
    {
        if (x.Rows != y.Rows) throw new ArgumentException("x and y must have the same rows.");
        bool same = ReferenceEquals(x.Data, y.Data) && ReferenceEquals(xMean, yMean);
        return Core(x.Rows, x.Columns, y.Columns, (start, rows, into) => Center(x, xMean, start, rows, into),
            same ? null : (start, rows, into) => Center(y, yMean, start, rows, into), () => threads, cancellation);
    }

    /// <summary>
    /// The centered Gram matrix Σ_r (x_r − x̄)(x_r − x̄)ᵀ (m × m) of data held column-major
    /// (<paramref name="columns"/>[j·n + r] is sample r of column j), without a row-major copy:
    /// each chunk of rows is transposed into the product's buffer as it is centered.
    /// </summary>
    /// <param name="columns">The data, column-major.</param>
    /// <param name="n">Samples (rows) per column.</param>
    /// <param name="chosen">The columns to take, in the Gram matrix's order.</param>
    /// <param name="mean">The chosen columns' means.</param>
    /// <param name="threads">Threads to use.</param>
    /// <param name="cancellation">Looked at before each wave of chunks.</param>
    /// <param name="threadsNow">When given, asked before each wave of chunks for the threads to use then (<see cref="SpareThreads"/>), instead of <paramref name="threads"/>.</param>
    public static double[] CenteredGramOfColumns(float[] columns, int n, IReadOnlyList<int> chosen, double[] mean, int threads = 1,
        CancellationToken cancellation = default, Func<int>? threadsNow = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int m = chosen.Count;
        var picked = chosen as int[] ?? chosen.ToArray();
        // Each chunk of rows is transposed into the product's buffer by 8 × 8 blocks as it is centered.
        return Core(n, m, m, (start, rows, into) => Transpose8.ToCenteredRows(columns, n, start, rows, picked, mean, into),
            null, threadsNow ?? (() => threads), cancellation);
    }

    /// <summary>
    /// Σ_r z_rᵀ z_r (m × m) of rows that <paramref name="fill"/> writes chunk by chunk
    /// (<c>fill(start, rows, into)</c> puts rows start … start + rows − 1 into <c>into</c>, row-major,
    /// m floats each): a Gram matrix of data that exist only one chunk at a time, such as the
    /// weighted design of a Newton step. The same chunking and summation as <see cref="Centered"/>.
    /// </summary>
    public static double[] GramOfRows(int n, int m, Action<int, int, float[]> fill, int threads = 1, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(fill);
        return Core(n, m, m, fill, null, () => threads, cancellation);
    }

    /// <summary>
    /// Σ over chunks of fill_x(chunk)ᵀ · fill_y(chunk), the chunks' float32 products summed in
    /// double in chunk order; <paramref name="fillY"/> null: the Gram matrix of x (upper block
    /// triangle multiplied, then mirrored). <paramref name="threads"/> is asked before each wave of
    /// chunks (one chunk per thread); the buffers of a thread are made when it is first used.
    /// </summary>
    private static double[] Core(int n, int m, int d, Action<int, int, float[]> fillX, Action<int, int, float[]>? fillY, Func<int> threads,
        CancellationToken cancellation)
    {
        bool same = fillY is null;
        var total = new double[(long)m * d];
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        var products = new List<float[]>();
        var xs = new List<float[]>();
        var ys = new List<float[]>();
        var path = KernelPaths.Best;
        for (int wave = 0; wave < chunks;)
        {
            cancellation.ThrowIfCancellationRequested();
            int inWave = Math.Clamp(threads(), 1, chunks - wave);
            while (products.Count < inWave)
            {
                products.Add(new float[(long)m * d]);
                xs.Add(new float[(long)ChunkRows * m]);
                ys.Add(same ? xs[^1] : new float[(long)ChunkRows * d]);
            }
            Parallel.For(0, inWave, new ParallelOptions { MaxDegreeOfParallelism = inWave }, w =>
            {
                int start = (wave + w) * ChunkRows, rows = Math.Min(ChunkRows, n - start);
                fillX(start, rows, xs[w]);
                if (same) UpperBlocks(m, rows, xs[w], products[w], path);
                else
                {
                    fillY!(start, rows, ys[w]);
                    Gemm.Multiply(m, d, rows, xs[w], m, true, ys[w], d, products[w], d, GemmInit.Zero, default, path);
                }
            });
            for (int w = 0; w < inWave; w++)
            {
                var p = products[w];
                // Each float widened to double and added, by vectors (ColumnAccumulate: the same bits as the plain loop).
                for (long i0 = 0; i0 < total.LongLength; i0 += 1 << 20)
                {
                    int len = (int)Math.Min(1 << 20, total.LongLength - i0);
                    ColumnAccumulate.Add(p.AsSpan((int)i0, len), total.AsSpan((int)i0, len));
                }
            }
            wave += inWave;
        }
        if (same)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < i; j++) total[(long)i * m + j] = total[(long)j * m + i];
        return total;
    }

    /// <summary>Columns per block of the Gram matrix's upper block triangle.</summary>
    private const int GramBlock = 256;

    /// <summary>
    /// The Gram matrix's blocks on and above the diagonal (rows of blocks I, columns from I on):
    /// about half the multiply-adds of the full product for wide layers. Entries below the
    /// diagonal are left as they are and mirrored by the caller.
    /// </summary>
    private static void UpperBlocks(int m, int rows, float[] x, float[] c, KernelPath path)
    {
        for (int i0 = 0; i0 < m; i0 += GramBlock)
        {
            int bs = Math.Min(GramBlock, m - i0);
            Gemm.Multiply(bs, m - i0, rows, x.AsSpan(i0), m, true, x.AsSpan(i0), m, c.AsSpan(i0 * m + i0), m, GemmInit.Zero, default, path);
        }
    }

    private static void Center<T>(RowMajor<T> x, double[] mean, int start, int rows, float[] into) where T : unmanaged, System.Numerics.INumber<T>
    {
        int m = x.Columns;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Row(start + r);
            var dst = into.AsSpan(r * m, m);
            for (int j = 0; j < m; j++) dst[j] = (float)(double.CreateTruncating(row[j]) - mean[j]);
        }
    }

    /// <summary>The same sum in plain double arithmetic, for tests.</summary>
    public static double[] Reference<T, U>(RowMajor<T> x, double[] xMean, RowMajor<U> y, double[] yMean)
        where T : unmanaged, System.Numerics.INumber<T> where U : unmanaged, System.Numerics.INumber<U>
    {
        int n = x.Rows, m = x.Columns, d = y.Columns;
        var c = new double[(long)m * d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < m; i++)
            {
                double a = double.CreateTruncating(x[r, i]) - xMean[i];
                for (int j = 0; j < d; j++) c[(long)i * d + j] += a * (double.CreateTruncating(y[r, j]) - yMean[j]);
            }
        return c;
    }
}
