using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// The AVX-512 register tile of <see cref="Gemm"/>: up to 8 rows × 32 columns of C held in 16
/// <see cref="Vector512{T}"/> accumulators; each step k broadcasts A(i, k) and multiply-adds it
/// with one row of B. Element (i, p) of A is read at <c>a + i·rowStride + p·kStride</c>, so a
/// row-major A and a transposed A run the same code.
/// </summary>
internal static unsafe class GemmTile512
{
    /// <summary>Columns of a wide tile.</summary>
    public const int Width = 32;

    /// <summary>Columns of one vector.</summary>
    public const int Lanes = 16;

    /// <summary>
    /// C[r, 0..w) = I[r, 0..w) + Σ_p A(r, p)·B[p, 0..w) for r &lt; S.Rows, w = 32 (wide) or 16, with
    /// I read at <c>init + r·initStride</c> (a null <paramref name="init"/> means zero; C itself for
    /// accumulation, a bias row with stride 0). Each element accumulates in order p = 0, 1, … with
    /// fused multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<S>(float* a, nint rowStride, nint kStride, float* b, nint ldb, int k,
        float* c, nint ldc, float* init, nint initStride) where S : struct, IGemmTileShape
    {
        int rows = S.Rows;
        bool wide = S.Wide;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        if (init != null)
        {
            c00 = Vector512.Load(init); if (wide) c01 = Vector512.Load(init + Lanes);
            if (rows > 1) { float* q = init + initStride; c10 = Vector512.Load(q); if (wide) c11 = Vector512.Load(q + Lanes); }
            if (rows > 2) { float* q = init + 2 * initStride; c20 = Vector512.Load(q); if (wide) c21 = Vector512.Load(q + Lanes); }
            if (rows > 3) { float* q = init + 3 * initStride; c30 = Vector512.Load(q); if (wide) c31 = Vector512.Load(q + Lanes); }
            if (rows > 4) { float* q = init + 4 * initStride; c40 = Vector512.Load(q); if (wide) c41 = Vector512.Load(q + Lanes); }
            if (rows > 5) { float* q = init + 5 * initStride; c50 = Vector512.Load(q); if (wide) c51 = Vector512.Load(q + Lanes); }
            if (rows > 6) { float* q = init + 6 * initStride; c60 = Vector512.Load(q); if (wide) c61 = Vector512.Load(q + Lanes); }
            if (rows > 7) { float* q = init + 7 * initStride; c70 = Vector512.Load(q); if (wide) c71 = Vector512.Load(q + Lanes); }
        }
        float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
        float* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
        nint offset = 0;
        for (int p = 0; p < k; p++, offset += kStride, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = wide ? Vector512.Load(b + Lanes) : default;
            var x = Vector512.Create(a0[offset]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); if (wide) c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            if (rows > 1) { x = Vector512.Create(a1[offset]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); if (wide) c11 = Vector512.FusedMultiplyAdd(x, b1, c11); }
            if (rows > 2) { x = Vector512.Create(a2[offset]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); if (wide) c21 = Vector512.FusedMultiplyAdd(x, b1, c21); }
            if (rows > 3) { x = Vector512.Create(a3[offset]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); if (wide) c31 = Vector512.FusedMultiplyAdd(x, b1, c31); }
            if (rows > 4) { x = Vector512.Create(a4[offset]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); if (wide) c41 = Vector512.FusedMultiplyAdd(x, b1, c41); }
            if (rows > 5) { x = Vector512.Create(a5[offset]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); if (wide) c51 = Vector512.FusedMultiplyAdd(x, b1, c51); }
            if (rows > 6) { x = Vector512.Create(a6[offset]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); if (wide) c61 = Vector512.FusedMultiplyAdd(x, b1, c61); }
            if (rows > 7) { x = Vector512.Create(a7[offset]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); if (wide) c71 = Vector512.FusedMultiplyAdd(x, b1, c71); }
        }
        c00.Store(c); if (wide) c01.Store(c + Lanes);
        if (rows > 1) { float* q = c + ldc; c10.Store(q); if (wide) c11.Store(q + Lanes); }
        if (rows > 2) { float* q = c + 2 * ldc; c20.Store(q); if (wide) c21.Store(q + Lanes); }
        if (rows > 3) { float* q = c + 3 * ldc; c30.Store(q); if (wide) c31.Store(q + Lanes); }
        if (rows > 4) { float* q = c + 4 * ldc; c40.Store(q); if (wide) c41.Store(q + Lanes); }
        if (rows > 5) { float* q = c + 5 * ldc; c50.Store(q); if (wide) c51.Store(q + Lanes); }
        if (rows > 6) { float* q = c + 6 * ldc; c60.Store(q); if (wide) c61.Store(q + Lanes); }
        if (rows > 7) { float* q = c + 7 * ldc; c70.Store(q); if (wide) c71.Store(q + Lanes); }
    }
}
