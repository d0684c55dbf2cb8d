using static RgLens.Numerics.GemmTileShapes;

namespace RgLens.Numerics;

/// <summary>
/// Single-precision matrix multiply for the network engine: C = I + op(A)·B with row-major
/// C (m × n), B (k × n) and A either row-major (m × k) or transposed (stored k × m), where I is
/// zero, a bias row, or C itself (<see cref="GemmInit"/>). Register tiles of
/// <see cref="GemmTile512"/> (8 × 32) or <see cref="GemmTile256"/> (4 × 16) sweep B directly;
/// the depth is cut into blocks of <see cref="DepthBlock"/> and the columns into blocks of
/// <see cref="ColumnBlock"/> so the working set stays in L1/L2; columns left over after the last
/// full vector are copied into a zero-padded scratch panel. Every path (including
/// <see cref="GemmReference"/>) accumulates each element in the same order with fused
/// multiply-adds, so all paths, blockings and thread splits give identical bits.
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>Depth (k) per block: a 32-column panel of B is then 32 KiB, about L1.</summary>
    public const int DepthBlock = 256;

    /// <summary>Columns per block: a block of B is then 256 KiB, well inside L2.</summary>
    public const int ColumnBlock = 256;

    /// <summary>
    /// B is packed into contiguous panels when it holds at least this many floats (1 MiB, the L2 of
    /// one core) and A has more than one row block. Measured on the reference workloads: packing
    /// lifts a 512 × 1024 × 1024 product from 188 to 235 GFLOP/s, but costs a 256 × 256 × 256 one
    /// a tenth of its speed, whose B already sits in L2.
    /// </summary>
    public const int PackThreshold = 1 << 18;

    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>
    /// C = I + op(A)·B on <paramref name="path"/> (see the type's remarks); op(A) = A (m × k, row
    /// stride <paramref name="lda"/>) or, when <paramref name="transposeA"/>, the transpose of the
    /// k × m matrix stored with row stride <paramref name="lda"/>. Allocation-free after the first
    /// call on a thread (a per-thread scratch panel).
    /// </summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, GemmInit init, ReadOnlySpan<float> bias,
        KernelPath path)
    {
        Validate(m, n, k, a.Length, lda, transposeA, b.Length, ldb, c.Length, ldc, init, bias.Length);
        if (m == 0 || n == 0) return;
        if (path == KernelPath.Scalar)
        {
            GemmReference.Multiply(m, n, k, a, lda, transposeA, b, ldb, c, ldc, init, bias);
            return;
        }
        if (k == 0)
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (init == GemmInit.Bias) bias[..n].CopyTo(row);
                else if (init == GemmInit.Zero) row.Clear();
            }
            return;
        }
        int lanes = path == KernelPath.Vector512 ? GemmTile512.Lanes : GemmTile256.Lanes;
        var scratch = Scratch(DepthBlock * lanes + 8 * lanes + DepthBlock * ColumnBlock);
        fixed (float* pa = a, pb = b, pc = c, pbias = bias, ps = scratch)
        {
            var job = new Job(m, n, k, pa, lda, transposeA, pb, ldb, pc, ldc, init, pbias, ps, path);
            job.Run();
        }
    }

    /// <summary>The scratch floats a thread needs, grown on demand and kept.</summary>
    private static float[] Scratch(int length)
    {
        var s = t_scratch;
        if (s is null || s.Length < length) t_scratch = s = new float[length];
        return s;
    }

    private static void Validate(int m, int n, int k, int aLength, int lda, bool transposeA, int bLength, int ldb,
        int cLength, int ldc, GemmInit init, int biasLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, Math.Max(aCols, 1));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, Math.Max(n, 1));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, Math.Max(n, 1));
        if (Needed(aRows, aCols, lda) > aLength) throw new ArgumentException($"A holds {aLength} floats; {aRows} x {aCols} with stride {lda} needs {Needed(aRows, aCols, lda)}.", "a");
        if (Needed(k, n, ldb) > bLength) throw new ArgumentException($"B holds {bLength} floats; {k} x {n} with stride {ldb} needs {Needed(k, n, ldb)}.", "b");
        if (Needed(m, n, ldc) > cLength) throw new ArgumentException($"C holds {cLength} floats; {m} x {n} with stride {ldc} needs {Needed(m, n, ldc)}.", "c");
        if (init == GemmInit.Bias && biasLength < n) throw new ArgumentException($"bias holds {biasLength} floats; C has {n} columns.", "bias");
    }

    private static long Needed(int rows, int cols, int stride) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * stride + cols;

    /// <summary>One multiplication: the loops over blocks and tiles.</summary>
    private readonly struct Job(int m, int n, int k, float* a, nint lda, bool transposeA, float* b, nint ldb,
        float* c, nint ldc, GemmInit init, float* bias, float* scratch, KernelPath path)
    {
        private readonly int _lanes = path == KernelPath.Vector512 ? GemmTile512.Lanes : GemmTile256.Lanes;
        private readonly int _rowBlock = path == KernelPath.Vector512 ? 8 : GemmTile256.MaxRows;

        public void Run()
        {
            int full = n - n % _lanes, width = 2 * _lanes;
            // On the 512-bit path, 8 or more columns left after the last full vector take one
            // 256-bit tile in place (same multiply-adds, same order) before the padded panel.
            int half = path == KernelPath.Vector512 && n - full >= GemmTile256.Lanes ? GemmTile256.Lanes : 0;
            int tail = full + half;
            float* panel = scratch, temp = scratch + DepthBlock * _lanes, packed = temp + 8 * _lanes;
            bool pack = (long)k * n >= PackThreshold && m > _rowBlock;
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int depth = Math.Min(DepthBlock, k - p0);
                bool first = p0 == 0;
                if (tail < n) PackTail(p0, depth, tail, panel);
                for (int j0 = 0; j0 < n; j0 += ColumnBlock)
                {
                    int j1 = Math.Min(n, j0 + ColumnBlock), jFull = Math.Min(j1, full);
                    if (pack) PackBlock(p0, depth, j0, jFull, packed);
                    for (int i = 0; i < m; i += _rowBlock)
                    {
                        int rows = Math.Min(_rowBlock, m - i);
                        float* ai = transposeA ? a + p0 * lda + i : a + i * lda + p0;
                        nint rowStride = transposeA ? 1 : lda, kStride = transposeA ? lda : 1;
                        int j = j0;
                        for (; j + width <= jFull; j += width)
                        {
                            float* bj = pack ? packed + (j - j0) * depth : b + p0 * ldb + j;
                            Tile(rows, wide: true, ai, rowStride, kStride, bj, pack ? width : ldb, depth, i, j, first);
                        }
                        if (j < jFull)
                        {
                            float* bj = pack ? packed + (j - j0) * depth : b + p0 * ldb + j;
                            Tile(rows, wide: false, ai, rowStride, kStride, bj, pack ? _lanes : ldb, depth, i, j, first);
                            j += _lanes;
                        }
                        if (half > 0 && j == full && j < j1)
                        {
                            HalfTile(rows, ai, rowStride, kStride, b + p0 * ldb + j, depth, i, j, first);
                            j += half;
                        }
                        if (j < j1) TailTile(rows, ai, rowStride, kStride, panel, depth, i, j, n - j, first, temp);
                    }
                }
            }
        }

        /// <summary>
        /// Copies B[p0 … p0 + depth, j0 … j1) into contiguous panels (each depth × panel width, the
        /// panel at column offset c starting at c·depth) so the tiles stream one dense block instead
        /// of rows a page apart.
        /// </summary>
        private void PackBlock(int p0, int depth, int j0, int j1, float* packed)
        {
            int width = 2 * _lanes;
            for (int j = j0; j < j1; j += width)
            {
                int w = Math.Min(width, j1 - j);
                float* dst = packed + (j - j0) * depth;
                float* src = b + p0 * ldb + j;
                for (int p = 0; p < depth; p++, src += ldb, dst += w)
                    new ReadOnlySpan<float>(src, w).CopyTo(new Span<float>(dst, w));
            }
        }

        /// <summary>A tile whose columns are all inside C, written in place.</summary>
        private void Tile(int rows, bool wide, float* ai, nint rowStride, nint kStride, float* bj, nint ldbj, int depth, int i, int j, bool first)
        {
            float* cij = c + i * ldc + j;
            float* initial = cij;
            nint initStride = ldc;
            if (first && init == GemmInit.Zero) initial = null;
            else if (first && init == GemmInit.Bias) { initial = bias + j; initStride = 0; }
            Dispatch(rows, wide, ai, rowStride, kStride, bj, ldbj, depth, cij, ldc, initial, initStride);
        }

        /// <summary>Eight columns inside C on the 512-bit path: 256-bit tiles of up to four rows, written in place.</summary>
        private void HalfTile(int rows, float* ai, nint rowStride, nint kStride, float* bj, int depth, int i, int j, bool first)
        {
            for (int r = 0; r < rows; r += GemmTile256.MaxRows)
            {
                int count = Math.Min(GemmTile256.MaxRows, rows - r);
                float* cij = c + (i + r) * ldc + j;
                float* initial = cij;
                nint initStride = ldc;
                if (first && init == GemmInit.Zero) initial = null;
                else if (first && init == GemmInit.Bias) { initial = bias + j; initStride = 0; }
                Dispatch256(count, wide: false, ai + r * rowStride, rowStride, kStride, bj, ldb, depth, cij, ldc, initial, initStride);
            }
        }

        /// <summary>The last columns (fewer than a vector): through a zero-padded panel and a temporary tile.</summary>
        private void TailTile(int rows, float* ai, nint rowStride, nint kStride, float* panel, int depth, int i, int j, int cols, bool first, float* temp)
        {
            for (int r = 0; r < rows; r++)
                for (int q = 0; q < _lanes; q++)
                {
                    float v = 0;
                    if (q < cols)
                    {
                        if (!first || init == GemmInit.Accumulate) v = c[(i + r) * ldc + j + q];
                        else if (init == GemmInit.Bias) v = bias[j + q];
                    }
                    temp[r * _lanes + q] = v;
                }
            Dispatch(rows, wide: false, ai, rowStride, kStride, panel, _lanes, depth, temp, _lanes, temp, _lanes);
            for (int r = 0; r < rows; r++)
                for (int q = 0; q < cols; q++) c[(i + r) * ldc + j + q] = temp[r * _lanes + q];
        }

        private void PackTail(int p0, int depth, int full, float* panel)
        {
            int cols = n - full;
            for (int p = 0; p < depth; p++)
            {
                float* src = b + (p0 + p) * ldb + full;
                float* dst = panel + p * _lanes;
                for (int q = 0; q < _lanes; q++) dst[q] = q < cols ? src[q] : 0f;
            }
        }

        private void Dispatch(int rows, bool wide, float* ai, nint rowStride, nint kStride, float* bj, nint ldbj, int depth,
            float* cij, nint ldcij, float* initial, nint initStride)
        {
            if (path == KernelPath.Vector512) Dispatch512(rows, wide, ai, rowStride, kStride, bj, ldbj, depth, cij, ldcij, initial, initStride);
            else Dispatch256(rows, wide, ai, rowStride, kStride, bj, ldbj, depth, cij, ldcij, initial, initStride);
        }

        private static void Dispatch512(int rows, bool wide, float* a, nint rs, nint ks, float* b, nint ldb, int k, float* c, nint ldc, float* init, nint ist)
        {
            switch (rows, wide)
            {
                case (8, true): GemmTile512.Tile<R8W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (7, true): GemmTile512.Tile<R7W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (6, true): GemmTile512.Tile<R6W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (5, true): GemmTile512.Tile<R5W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (4, true): GemmTile512.Tile<R4W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (3, true): GemmTile512.Tile<R3W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (2, true): GemmTile512.Tile<R2W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (1, true): GemmTile512.Tile<R1W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (8, false): GemmTile512.Tile<R8N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (7, false): GemmTile512.Tile<R7N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (6, false): GemmTile512.Tile<R6N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (5, false): GemmTile512.Tile<R5N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (4, false): GemmTile512.Tile<R4N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (3, false): GemmTile512.Tile<R3N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (2, false): GemmTile512.Tile<R2N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                default: GemmTile512.Tile<R1N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
            }
        }

        private static void Dispatch256(int rows, bool wide, float* a, nint rs, nint ks, float* b, nint ldb, int k, float* c, nint ldc, float* init, nint ist)
        {
            switch (rows, wide)
            {
                case (4, true): GemmTile256.Tile<R4W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (3, true): GemmTile256.Tile<R3W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (2, true): GemmTile256.Tile<R2W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (1, true): GemmTile256.Tile<R1W>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (4, false): GemmTile256.Tile<R4N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (3, false): GemmTile256.Tile<R3N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                case (2, false): GemmTile256.Tile<R2N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
                default: GemmTile256.Tile<R1N>(a, rs, ks, b, ldb, k, c, ldc, init, ist); break;
            }
        }
    }
}
