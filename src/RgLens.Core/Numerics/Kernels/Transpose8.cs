using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RgLens.Numerics;

/// <summary>
/// The two transpositions of the continuous reading, by 8 × 8 blocks in AVX registers, each beside
/// its scalar reference (<c>*Scalar</c>, which the tests compare with; the same values move, so the
/// bits are the same):
/// <list type="bullet">
/// <item><see cref="ToColumns"/>: a layer's row-major activations into column-major sites, each unit
/// put at its site and multiplied by its sign (the gauge);</item>
/// <item><see cref="ToCenteredRows"/>: a chunk of rows of chosen columns back into row-major floats,
/// each value less its column's mean (in double, then rounded), for the Gram matrix.</item>
/// </list>
/// Each moves a whole layer (400 MB for 100,000 samples of 1024 units); element by element they
/// took about 1 s and 0.7 s of a 1024-unit layer's reading on the development machine, by blocks
/// about half. Without AVX the scalar loops run.
/// </summary>
internal static class Transpose8
{
    /// <summary>
    /// columns[site[u]·n + r] = rows[r·m + u] · sign[u] for r &lt; n, u &lt; m (rows: n × m row-major;
    /// columns: m × n, one site's samples contiguous).
    /// </summary>
    public static unsafe void ToColumns(ReadOnlySpan<float> rows, int n, int m, ReadOnlySpan<int> site, ReadOnlySpan<float> sign, Span<float> columns)
    {
        Check(rows.Length, n, m, columns.Length, site.Length, sign.Length);
        if (!Avx.IsSupported)
        {
            ToColumnsScalar(rows, n, m, site, sign, columns);
            return;
        }
        int n8 = n & ~7, m8 = m & ~7;
        fixed (float* src = rows, dst = columns, sg = sign)
        fixed (int* to = site)
        {
            // Tiles of 64 rows: the 64 rows of 8 units come from 64 cache lines that stay in L1 while
            // the 8 destination runs of 64 samples are written.
            const int RowTile = 64;
            for (int r0 = 0; r0 < n8; r0 += RowTile)
            {
                int r1 = Math.Min(n8, r0 + RowTile);
                for (int u = 0; u < m8; u += 8)
                {
                    var s = Avx.LoadVector256(sg + u);
                    for (int r = r0; r < r1; r += 8)
                    {
                        float* b = src + (long)r * m + u;
                        Block(Avx.Multiply(Avx.LoadVector256(b), s), Avx.Multiply(Avx.LoadVector256(b + m), s),
                            Avx.Multiply(Avx.LoadVector256(b + 2L * m), s), Avx.Multiply(Avx.LoadVector256(b + 3L * m), s),
                            Avx.Multiply(Avx.LoadVector256(b + 4L * m), s), Avx.Multiply(Avx.LoadVector256(b + 5L * m), s),
                            Avx.Multiply(Avx.LoadVector256(b + 6L * m), s), Avx.Multiply(Avx.LoadVector256(b + 7L * m), s),
                            out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
                        Avx.Store(dst + (long)to[u] * n + r, c0);
                        Avx.Store(dst + (long)to[u + 1] * n + r, c1);
                        Avx.Store(dst + (long)to[u + 2] * n + r, c2);
                        Avx.Store(dst + (long)to[u + 3] * n + r, c3);
                        Avx.Store(dst + (long)to[u + 4] * n + r, c4);
                        Avx.Store(dst + (long)to[u + 5] * n + r, c5);
                        Avx.Store(dst + (long)to[u + 6] * n + r, c6);
                        Avx.Store(dst + (long)to[u + 7] * n + r, c7);
                    }
                }
            }
        }
        // The edges: the last n mod 8 rows, and the last m mod 8 units of the others.
        for (int r = n8; r < n; r++)
            for (int u = 0; u < m; u++) columns[(int)((long)site[u] * n + r)] = rows[(int)((long)r * m + u)] * sign[u];
        for (int r = 0; r < n8; r++)
            for (int u = m8; u < m; u++) columns[(int)((long)site[u] * n + r)] = rows[(int)((long)r * m + u)] * sign[u];
    }

    /// <summary>Scalar reference of <see cref="ToColumns"/>.</summary>
    public static void ToColumnsScalar(ReadOnlySpan<float> rows, int n, int m, ReadOnlySpan<int> site, ReadOnlySpan<float> sign, Span<float> columns)
    {
        Check(rows.Length, n, m, columns.Length, site.Length, sign.Length);
        for (int r = 0; r < n; r++)
            for (int u = 0; u < m; u++) columns[(int)((long)site[u] * n + r)] = rows[(int)((long)r * m + u)] * sign[u];
    }

    /// <summary>
    /// into[r·k + c] = (float)(columns[chosen[c]·n + start + r] − mean[c]) for r &lt; <paramref name="count"/>,
    /// c &lt; k = chosen.Length (the difference taken in double, then rounded to float).
    /// </summary>
    public static unsafe void ToCenteredRows(ReadOnlySpan<float> columns, int n, int start, int count, ReadOnlySpan<int> chosen, ReadOnlySpan<double> mean, Span<float> into)
    {
        int k = chosen.Length;
        CheckRows(columns.Length, n, start, count, k, mean.Length, into.Length);
        if (!Avx.IsSupported)
        {
            ToCenteredRowsScalar(columns, n, start, count, chosen, mean, into);
            return;
        }
        int r8 = count & ~7, k8 = k & ~7;
        fixed (float* src = columns, dst = into)
        fixed (int* col = chosen)
        fixed (double* mu = mean)
        {
            for (int c = 0; c < k8; c += 8)
            {
                var m0 = Avx.LoadVector256(mu + c);
                var m1 = Avx.LoadVector256(mu + c + 4);
                float* p0 = src + (long)col[c] * n + start, p1 = src + (long)col[c + 1] * n + start;
                float* p2 = src + (long)col[c + 2] * n + start, p3 = src + (long)col[c + 3] * n + start;
                float* p4 = src + (long)col[c + 4] * n + start, p5 = src + (long)col[c + 5] * n + start;
                float* p6 = src + (long)col[c + 6] * n + start, p7 = src + (long)col[c + 7] * n + start;
                for (int r = 0; r < r8; r += 8)
                {
                    Block(Avx.LoadVector256(p0 + r), Avx.LoadVector256(p1 + r), Avx.LoadVector256(p2 + r), Avx.LoadVector256(p3 + r),
                        Avx.LoadVector256(p4 + r), Avx.LoadVector256(p5 + r), Avx.LoadVector256(p6 + r), Avx.LoadVector256(p7 + r),
                        out var q0, out var q1, out var q2, out var q3, out var q4, out var q5, out var q6, out var q7);
                    float* d = dst + (long)r * k + c;
                    Avx.Store(d, Centered(q0, m0, m1));
                    Avx.Store(d + k, Centered(q1, m0, m1));
                    Avx.Store(d + 2L * k, Centered(q2, m0, m1));
                    Avx.Store(d + 3L * k, Centered(q3, m0, m1));
                    Avx.Store(d + 4L * k, Centered(q4, m0, m1));
                    Avx.Store(d + 5L * k, Centered(q5, m0, m1));
                    Avx.Store(d + 6L * k, Centered(q6, m0, m1));
                    Avx.Store(d + 7L * k, Centered(q7, m0, m1));
                }
            }
        }
        for (int r = r8; r < count; r++)
            for (int c = 0; c < k; c++) into[r * k + c] = (float)(columns[(int)((long)chosen[c] * n + start + r)] - mean[c]);
        for (int r = 0; r < r8; r++)
            for (int c = k8; c < k; c++) into[r * k + c] = (float)(columns[(int)((long)chosen[c] * n + start + r)] - mean[c]);
    }

    /// <summary>Scalar reference of <see cref="ToCenteredRows"/>.</summary>
    public static void ToCenteredRowsScalar(ReadOnlySpan<float> columns, int n, int start, int count, ReadOnlySpan<int> chosen, ReadOnlySpan<double> mean, Span<float> into)
    {
        int k = chosen.Length;
        CheckRows(columns.Length, n, start, count, k, mean.Length, into.Length);
        for (int r = 0; r < count; r++)
            for (int c = 0; c < k; c++) into[r * k + c] = (float)(columns[(int)((long)chosen[c] * n + start + r)] - mean[c]);
    }

    /// <summary>(float)(x − μ) lane by lane, the difference in double as the scalar loop takes it.</summary>
    private static Vector256<float> Centered(Vector256<float> x, Vector256<double> m0, Vector256<double> m1)
    {
        var lo = Avx.Subtract(Avx.ConvertToVector256Double(x.GetLower()), m0);
        var hi = Avx.Subtract(Avx.ConvertToVector256Double(x.GetUpper()), m1);
        return Vector256.Create(Avx.ConvertToVector128Single(lo), Avx.ConvertToVector128Single(hi));
    }

    /// <summary>The 8 × 8 transpose of rows a0 … a7 into c0 … c7 (c_j lane i = a_i lane j).</summary>
    private static void Block(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        var t0 = Avx.UnpackLow(a0, a1); var t1 = Avx.UnpackHigh(a0, a1);
        var t2 = Avx.UnpackLow(a2, a3); var t3 = Avx.UnpackHigh(a2, a3);
        var t4 = Avx.UnpackLow(a4, a5); var t5 = Avx.UnpackHigh(a4, a5);
        var t6 = Avx.UnpackLow(a6, a7); var t7 = Avx.UnpackHigh(a6, a7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        c0 = Avx.Permute2x128(s0, s4, 0x20); c1 = Avx.Permute2x128(s1, s5, 0x20);
        c2 = Avx.Permute2x128(s2, s6, 0x20); c3 = Avx.Permute2x128(s3, s7, 0x20);
        c4 = Avx.Permute2x128(s0, s4, 0x31); c5 = Avx.Permute2x128(s1, s5, 0x31);
        c6 = Avx.Permute2x128(s2, s6, 0x31); c7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    private static void Check(long rows, int n, int m, long columns, int sites, int signs)
    {
        if (rows < (long)n * m || columns < (long)n * m || sites != m || signs != m)
            throw new ArgumentException("the matrices, sites and signs must fit n × m.");
    }

    private static void CheckRows(long columns, int n, int start, int count, int k, int means, long into)
    {
        if (start < 0 || count < 0 || start + count > n || means != k || into < (long)count * k || columns < n)
            throw new ArgumentException("the chunk, means and buffer must fit.");
    }
}
