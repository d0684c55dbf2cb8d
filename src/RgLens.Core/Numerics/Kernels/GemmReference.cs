namespace RgLens.Numerics;

/// <summary>
/// The scalar reference of <see cref="Gemm"/>: three plain loops, each element accumulated in
/// order p = 0, 1, … with <see cref="MathF.FusedMultiplyAdd"/>, exactly as the vector tiles do,
/// so every path returns identical bits. It is also the <see cref="KernelPath.Scalar"/> path.
/// </summary>
internal static class GemmReference
{
    /// <summary>See <see cref="Gemm.Multiply"/>; arguments are assumed validated.</summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, GemmInit init, ReadOnlySpan<float> bias)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float acc = init switch
                {
                    GemmInit.Bias => bias[j],
                    GemmInit.Accumulate => c[i * ldc + j],
                    _ => 0f,
                };
                for (int p = 0; p < k; p++)
                {
                    float aip = transposeA ? a[p * lda + i] : a[i * lda + p];
                    acc = MathF.FusedMultiplyAdd(aip, b[p * ldb + j], acc);
                }
                c[i * ldc + j] = acc;
            }
    }
}
