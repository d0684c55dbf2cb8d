using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// Bit-parallel kernels of the Ising sampler: threshold comparisons packed into a 64-bit word,
/// a prefix XOR that turns bond flips into spins, and the expansion of spin bits into ±1 bytes.
/// Each has a scalar reference beside it (<c>*Scalar</c>) that tests compare against.
/// </summary>
internal static class SpinBits
{
    private static readonly ulong[] s_byteToSpins = BuildSpinTable();

    /// <summary>Bit k (k &lt; count) is set iff u[k] &lt; threshold (unsigned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BelowThreshold(ReadOnlySpan<ulong> u, ulong threshold, int count)
    {
        if (count == 64 && Vector512.IsHardwareAccelerated)
        {
            var t = Vector512.Create(threshold);
            ref ulong p = ref Unsafe.AsRef(in u[0]);
            ulong bits = 0;
            for (int k = 0; k < 8; k++)
            {
                var v = Vector512.LoadUnsafe(ref p, (nuint)(8 * k));
                bits |= (ulong)Vector512.LessThan(v, t).ExtractMostSignificantBits() << (8 * k);
            }
            return bits;
        }
        if (count == 64 && Vector256.IsHardwareAccelerated)
        {
            var t = Vector256.Create(threshold);
            ref ulong p = ref Unsafe.AsRef(in u[0]);
            ulong bits = 0;
            for (int k = 0; k < 16; k++)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)(4 * k));
                bits |= (ulong)Vector256.LessThan(v, t).ExtractMostSignificantBits() << (4 * k);
            }
            return bits;
        }
        return BelowThresholdScalar(u, threshold, count);
    }

    /// <summary>Reference for <see cref="BelowThreshold"/>.</summary>
    public static ulong BelowThresholdScalar(ReadOnlySpan<ulong> u, ulong threshold, int count)
    {
        ulong bits = 0;
        for (int k = 0; k < count; k++)
            if (u[k] < threshold) bits |= 1UL << k;
        return bits;
    }

    /// <summary>Bit k (k &lt; count) is set iff u[k] &lt; thresholds[k] (unsigned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BelowThresholds(ReadOnlySpan<ulong> u, ReadOnlySpan<ulong> thresholds, int count)
    {
        if (count == 64 && Vector512.IsHardwareAccelerated)
        {
            ref ulong p = ref Unsafe.AsRef(in u[0]);
            ref ulong t = ref Unsafe.AsRef(in thresholds[0]);
            ulong bits = 0;
            for (int k = 0; k < 8; k++)
            {
                var v = Vector512.LoadUnsafe(ref p, (nuint)(8 * k));
                var w = Vector512.LoadUnsafe(ref t, (nuint)(8 * k));
                bits |= (ulong)Vector512.LessThan(v, w).ExtractMostSignificantBits() << (8 * k);
            }
            return bits;
        }
        if (count == 64 && Vector256.IsHardwareAccelerated)
        {
            ref ulong p = ref Unsafe.AsRef(in u[0]);
            ref ulong t = ref Unsafe.AsRef(in thresholds[0]);
            ulong bits = 0;
            for (int k = 0; k < 16; k++)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)(4 * k));
                var w = Vector256.LoadUnsafe(ref t, (nuint)(4 * k));
                bits |= (ulong)Vector256.LessThan(v, w).ExtractMostSignificantBits() << (4 * k);
            }
            return bits;
        }
        return BelowThresholdsScalar(u, thresholds, count);
    }

    /// <summary>Reference for <see cref="BelowThresholds"/>.</summary>
    public static ulong BelowThresholdsScalar(ReadOnlySpan<ulong> u, ReadOnlySpan<ulong> thresholds, int count)
    {
        ulong bits = 0;
        for (int k = 0; k < count; k++)
            if (u[k] < thresholds[k]) bits |= 1UL << k;
        return bits;
    }

    /// <summary>
    /// The bonds that actually flip, positions start … count−1, when bond k flips iff bit k of
    /// <paramref name="afterPlus"/> (previous spin +1, state bit 0) or of <paramref name="afterMinus"/>
    /// (previous spin −1, state bit 1) is set, starting in state <paramref name="state"/>. The state
    /// changes only at flips, so the loop runs once per flip, finding the next one by a trailing-zero count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong StateDependentFlips(ulong afterPlus, ulong afterMinus, ulong state, int start, int count)
    {
        ulong valid = count == 64 ? ulong.MaxValue : (1UL << count) - 1;
        afterPlus &= valid;
        afterMinus &= valid;
        ulong flips = 0;
        int j = start;
        while (j < 64)
        {
            ulong candidates = (state == 0 ? afterPlus : afterMinus) >> j;
            if (candidates == 0) break;
            j += System.Numerics.BitOperations.TrailingZeroCount(candidates);
            flips |= 1UL << j;
            state ^= 1;
            j++;
        }
        return flips;
    }

    /// <summary>Reference for <see cref="StateDependentFlips"/>: bond by bond.</summary>
    public static ulong StateDependentFlipsScalar(ulong afterPlus, ulong afterMinus, ulong state, int start, int count)
    {
        ulong flips = 0;
        for (int j = start; j < count; j++)
        {
            ulong f = ((state == 0 ? afterPlus : afterMinus) >> j) & 1;
            flips |= f << j;
            state ^= f;
        }
        return flips;
    }

    /// <summary>Bit k of the result is the XOR of bits 0 … k of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PrefixXor(ulong x)
    {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }

    /// <summary>Reference for <see cref="PrefixXor"/>.</summary>
    public static ulong PrefixXorScalar(ulong x)
    {
        ulong result = 0, running = 0;
        for (int k = 0; k < 64; k++)
        {
            running ^= (x >> k) & 1;
            result |= running << k;
        }
        return result;
    }

    /// <summary>Writes spins for bits 0 … count−1: bit set → −1, clear → +1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Expand(ulong bits, Span<sbyte> destination, int count)
    {
        if (count == 64)
        {
            ref byte dst = ref Unsafe.As<sbyte, byte>(ref destination[0]);
            for (int k = 0; k < 8; k++)
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 8 * k), s_byteToSpins[(int)((bits >> (8 * k)) & 0xFF)]);
            return;
        }
        ExpandScalar(bits, destination, count);
    }

    /// <summary>Reference for <see cref="Expand"/>.</summary>
    public static void ExpandScalar(ulong bits, Span<sbyte> destination, int count)
    {
        for (int k = 0; k < count; k++) destination[k] = ((bits >> k) & 1) != 0 ? (sbyte)-1 : (sbyte)1;
    }

    private static ulong[] BuildSpinTable()
    {
        var table = new ulong[256];
        for (int v = 0; v < 256; v++)
        {
            ulong word = 0;
            for (int k = 0; k < 8; k++) word |= (((v >> k) & 1) != 0 ? 0xFFUL : 0x01UL) << (8 * k);
            table[v] = BitConverter.IsLittleEndian ? word : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(word);
        }
        return table;
    }
}
