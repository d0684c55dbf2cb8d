using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// The portable register tile of <see cref="Gemm"/> for CPUs without AVX-512: up to 4 rows × 16
/// columns of C in 8 <see cref="Vector256{T}"/> accumulators (16 registers leave room for B and
/// the broadcast). Same contract and same order of fused multiply-adds as <see cref="GemmTile512"/>.
/// </summary>
internal static unsafe class GemmTile256
{
    /// <summary>Columns of a wide tile.</summary>
    public const int Width = 16;

    /// <summary>Columns of one vector.</summary>
    public const int Lanes = 8;

    /// <summary>Rows of a full tile.</summary>
    public const int MaxRows = 4;

    /// <summary>See <see cref="GemmTile512.Tile{S}"/>; here S.Rows ≤ 4 and a wide tile is 16 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<S>(float* a, nint rowStride, nint kStride, float* b, nint ldb, int k,
        float* c, nint ldc, float* init, nint initStride) where S : struct, IGemmTileShape
    {
        int rows = S.Rows;
        bool wide = S.Wide;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        if (init != null)
        {
            c00 = Vector256.Load(init); if (wide) c01 = Vector256.Load(init + Lanes);
            if (rows > 1) { float* q = init + initStride; c10 = Vector256.Load(q); if (wide) c11 = Vector256.Load(q + Lanes); }
            if (rows > 2) { float* q = init + 2 * initStride; c20 = Vector256.Load(q); if (wide) c21 = Vector256.Load(q + Lanes); }
            if (rows > 3) { float* q = init + 3 * initStride; c30 = Vector256.Load(q); if (wide) c31 = Vector256.Load(q + Lanes); }
        }
        float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
        nint offset = 0;
        for (int p = 0; p < k; p++, offset += kStride, b += ldb)
        {
            var b0 = Vector256.Load(b);
            var b1 = wide ? Vector256.Load(b + Lanes) : default;
            var x = Vector256.Create(a0[offset]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); if (wide) c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            if (rows > 1) { x = Vector256.Create(a1[offset]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); if (wide) c11 = Vector256.FusedMultiplyAdd(x, b1, c11); }
            if (rows > 2) { x = Vector256.Create(a2[offset]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); if (wide) c21 = Vector256.FusedMultiplyAdd(x, b1, c21); }
            if (rows > 3) { x = Vector256.Create(a3[offset]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); if (wide) c31 = Vector256.FusedMultiplyAdd(x, b1, c31); }
        }
        c00.Store(c); if (wide) c01.Store(c + Lanes);
        if (rows > 1) { float* q = c + ldc; c10.Store(q); if (wide) c11.Store(q + Lanes); }
        if (rows > 2) { float* q = c + 2 * ldc; c20.Store(q); if (wide) c21.Store(q + Lanes); }
        if (rows > 3) { float* q = c + 3 * ldc; c30.Store(q); if (wide) c31.Store(q + Lanes); }
    }
}
