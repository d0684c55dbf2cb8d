using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// The exact Gram matrix S_ij = Σ_r y_ri y_rj of ±1 data, from bits: each column becomes a bit
/// vector (bit set for +1), and S_ij = n − 2 · popcount(b_i ⊕ b_j). One 64-bit XOR and popcount
/// replace 64 multiply-adds, so a 1024-unit layer on 100,000 samples (5·10¹⁰ products) takes a
/// fraction of a second, in exact integer arithmetic: the result does not depend on the thread
/// count or the order of the sums. <see cref="Reference"/> is the plain loop the tests compare with.
/// </summary>
internal static class SpinGram
{
    /// <summary>Words per block of the pair loop: 4 KiB of each column, so that a block of all columns stays in L2.</summary>
    private const int WordBlock = 512;

    /// <summary>S (m × m, row-major, symmetric). A value ≥ 0 counts as +1, a negative one as −1.</summary>
    public static long[] Compute(RowMajor<sbyte> y, int threads = 1, CancellationToken cancellation = default) =>
        ComputeWithSums(y, threads, cancellation).Gram;

    /// <summary>S and the column sums Σ_r y_rj (from the bits' popcounts).</summary>
    public static (long[] Gram, long[] Sums) ComputeWithSums(RowMajor<sbyte> y, int threads = 1, CancellationToken cancellation = default)
    {
        int n = y.Rows, m = y.Columns, words = (n + 63) / 64;
        var bits = Pack(y, words);
        var disagree = new long[(long)m * m];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellation };
        // Rows of the pair matrix in groups of four: each word of column j is loaded once for four
        // columns i, which stay in L1 (4 × 4 KiB per word block). Integer counts: any order gives the same result.
        int groups = (m + 3) / 4;
        for (int w0 = 0; w0 < words; w0 += WordBlock)
        {
            int w1 = Math.Min(words, w0 + WordBlock), length = w1 - w0;
            Parallel.For(0, groups, options, g =>
            {
                int i0 = 4 * g, count = Math.Min(4, m - i0);
                Span<long> eight = stackalloc long[8];
                for (int j = i0 + 1; j < m; j++)
                {
                    var bj = bits.AsSpan(j * words + w0, length);
                    if (count == 4 && j >= i0 + 4 && j + 1 < m)
                    {
                        Disagreements4x2(bits.AsSpan(i0 * words + w0, length), bits.AsSpan((i0 + 1) * words + w0, length),
                            bits.AsSpan((i0 + 2) * words + w0, length), bits.AsSpan((i0 + 3) * words + w0, length), bj, bits.AsSpan((j + 1) * words + w0, length), eight);
                        for (int a = 0; a < 4; a++)
                        {
                            disagree[(long)(i0 + a) * m + j] += eight[a];
                            disagree[(long)(i0 + a) * m + j + 1] += eight[4 + a];
                        }
                        j++;
                        continue;
                    }
                    for (int i = i0; i < i0 + count && i < j; i++)
                        disagree[(long)i * m + j] += Disagreements(bits.AsSpan(i * words + w0, length), bj);
                }
            });
        }
        var gram = new long[(long)m * m];
        var sums = new long[m];
        for (int i = 0; i < m; i++)
        {
            long plus = 0;
            foreach (ulong w in bits.AsSpan(i * words, words)) plus += BitOperations.PopCount(w);
            sums[i] = 2 * plus - n;
            gram[(long)i * m + i] = n;
            for (int j = i + 1; j < m; j++)
                gram[(long)i * m + j] = gram[(long)j * m + i] = n - 2 * disagree[(long)i * m + j];
        }
        return (gram, sums);
    }

    /// <summary>Σ_w popcount(a_w ⊕ b_w), four independent sums so that the popcounts overlap (.NET has no x86 vector popcount).</summary>
    internal static long Disagreements(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int w = 0;
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; w <= a.Length - 4; w += 4)
        {
            s0 += BitOperations.PopCount(a[w] ^ b[w]);
            s1 += BitOperations.PopCount(a[w + 1] ^ b[w + 1]);
            s2 += BitOperations.PopCount(a[w + 2] ^ b[w + 2]);
            s3 += BitOperations.PopCount(a[w + 3] ^ b[w + 3]);
        }
        for (; w < a.Length; w++) s0 += BitOperations.PopCount(a[w] ^ b[w]);
        return s0 + s1 + s2 + s3;
    }

    /// <summary>
    /// Σ_w popcount(a_k,w ⊕ b_w) and Σ_w popcount(a_k,w ⊕ c_w) for four columns a_k against two
    /// columns b and c (result: the four against b, then the four against c): six loads per word
    /// step for eight popcounts, the sums in registers.
    /// </summary>
    internal static void Disagreements4x2(ReadOnlySpan<ulong> a0, ReadOnlySpan<ulong> a1, ReadOnlySpan<ulong> a2, ReadOnlySpan<ulong> a3,
        ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> c, Span<long> result)
    {
        int n = b.Length;
        if (a0.Length != n || a1.Length != n || a2.Length != n || a3.Length != n || c.Length != n || result.Length < 8)
            throw new ArgumentException("the columns must have the same length.");
        ref ulong r0 = ref MemoryMarshal.GetReference(a0), r1 = ref MemoryMarshal.GetReference(a1);
        ref ulong r2 = ref MemoryMarshal.GetReference(a2), r3 = ref MemoryMarshal.GetReference(a3);
        ref ulong rb = ref MemoryMarshal.GetReference(b), rc = ref MemoryMarshal.GetReference(c);
        long b0 = 0, b1 = 0, b2 = 0, b3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int w = 0; w < n; w++)
        {
            ulong x = Unsafe.Add(ref rb, w), y = Unsafe.Add(ref rc, w);
            ulong v0 = Unsafe.Add(ref r0, w), v1 = Unsafe.Add(ref r1, w), v2 = Unsafe.Add(ref r2, w), v3 = Unsafe.Add(ref r3, w);
            b0 += BitOperations.PopCount(v0 ^ x);
            b1 += BitOperations.PopCount(v1 ^ x);
            b2 += BitOperations.PopCount(v2 ^ x);
            b3 += BitOperations.PopCount(v3 ^ x);
            c0 += BitOperations.PopCount(v0 ^ y);
            c1 += BitOperations.PopCount(v1 ^ y);
            c2 += BitOperations.PopCount(v2 ^ y);
            c3 += BitOperations.PopCount(v3 ^ y);
        }
        result[0] = b0; result[1] = b1; result[2] = b2; result[3] = b3;
        result[4] = c0; result[5] = c1; result[6] = c2; result[7] = c3;
    }

    /// <summary>
    /// Column j's bits at words [j·words, (j+1)·words), bit r % 64 of word r / 64 set when
    /// y[r, j] ≥ 0; padding bits are 0. Each 64 × 64 block is read as 64 row words (two vector
    /// sign masks per row) and transposed in registers (<see cref="Transpose64"/>), so the
    /// samples × units bytes are read once, in order.
    /// </summary>
    internal static ulong[] Pack(RowMajor<sbyte> y, int words)
    {
        int n = y.Rows, m = y.Columns, columnWords = (m + 63) / 64;
        var bits = new ulong[(long)m * words];
        Span<ulong> block = stackalloc ulong[64];
        for (int rw = 0; rw < words; rw++)
        {
            int r0 = 64 * rw, rows = Math.Min(64, n - r0);
            for (int cw = 0; cw < columnWords; cw++)
            {
                int c0 = 64 * cw, cols = Math.Min(64, m - c0);
                for (int i = 0; i < 64; i++) block[i] = i < rows ? RowWord(y.Row(r0 + i).Slice(c0, cols)) : 0;
                Transpose64(block);
                for (int c = 0; c < cols; c++) bits[(long)(c0 + c) * words + rw] = block[c];
            }
        }
        return bits;
    }

    /// <summary>Bit c set when values[c] ≥ 0 (up to 64 values).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong RowWord(ReadOnlySpan<sbyte> values)
    {
        if (values.Length == 64 && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            ulong negative = System.Runtime.Intrinsics.Vector256.Create(values[..32]).ExtractMostSignificantBits()
                | (ulong)System.Runtime.Intrinsics.Vector256.Create(values[32..]).ExtractMostSignificantBits() << 32;
            return ~negative;
        }
        ulong word = 0;
        for (int c = 0; c < values.Length; c++)
            if (values[c] >= 0) word |= 1UL << c;
        return word;
    }

    /// <summary>
    /// Transposes a 64 × 64 bit matrix in place (word i = row i, bit j = column j): six rounds that
    /// swap the off-diagonal s × s sub-blocks of every 2s × 2s block, s = 32 … 1.
    /// </summary>
    internal static void Transpose64(Span<ulong> a)
    {
        ReadOnlySpan<ulong> masks = [0x0000_0000_FFFF_FFFFUL, 0x0000_FFFF_0000_FFFFUL, 0x00FF_00FF_00FF_00FFUL, 0x0F0F_0F0F_0F0F_0F0FUL, 0x3333_3333_3333_3333UL, 0x5555_5555_5555_5555UL];
        int s = 32;
        for (int level = 0; level < 6; level++, s >>= 1)
        {
            ulong mask = masks[level];
            for (int k = 0; k < 64; k++)
            {
                if ((k & s) != 0) continue;
                ulong t = ((a[k] >> s) ^ a[k + s]) & mask;
                a[k] ^= t << s;
                a[k + s] ^= t;
            }
        }
    }

    /// <summary>The bit layout of <see cref="Pack"/> built one value at a time, for tests.</summary>
    internal static ulong[] PackReference(RowMajor<sbyte> y, int words)
    {
        int n = y.Rows, m = y.Columns;
        var bits = new ulong[(long)m * words];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < m; j++)
                if (y[r, j] >= 0) bits[(long)j * words + (r >> 6)] |= 1UL << (r & 63);
        return bits;
    }

    /// <summary>The plain double-loop Σ_r y_ri y_rj, for tests.</summary>
    public static long[] Reference(RowMajor<sbyte> y)
    {
        int n = y.Rows, m = y.Columns;
        var s = new long[(long)m * m];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) s[(long)i * m + j] += (y[r, i] >= 0 ? 1 : -1) * (y[r, j] >= 0 ? 1 : -1);
        return s;
    }
}
