using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RgLens.Numerics;

/// <summary>
/// Eight interleaved xoshiro256++ generators (Blackman and Vigna, 2019), output k of the stream
/// being the (k / 8)-th draw of lane k % 8. The stream is defined by this interleaving, so the
/// AVX-512, AVX2 and scalar paths produce the same bits on every machine. Written by hand
/// because the samplers need ~10⁹ uniforms per second, which a scalar generator cannot supply.
/// </summary>
internal struct LaneRandom
{
    public const int Lanes = 8;
    private Vector512<ulong> _s0, _s1, _s2, _s3;

    /// <summary>Seeds the eight lanes from <paramref name="key"/> by SplitMix64 (lane-major, four words per lane).</summary>
    public LaneRandom(ulong key)
    {
        Span<ulong> w = stackalloc ulong[4 * Lanes];
        ulong sm = key;
        for (int lane = 0; lane < Lanes; lane++)
        {
            for (int j = 0; j < 4; j++) w[j * Lanes + lane] = SplitMix64.Next(ref sm);
            if ((w[lane] | w[Lanes + lane] | w[2 * Lanes + lane] | w[3 * Lanes + lane]) == 0) w[lane] = 1;
        }
        _s0 = Vector512.Create((ReadOnlySpan<ulong>)w[..Lanes]);
        _s1 = Vector512.Create((ReadOnlySpan<ulong>)w[Lanes..(2 * Lanes)]);
        _s2 = Vector512.Create((ReadOnlySpan<ulong>)w[(2 * Lanes)..(3 * Lanes)]);
        _s3 = Vector512.Create((ReadOnlySpan<ulong>)w[(3 * Lanes)..]);
    }

    /// <summary>Which instruction path <see cref="Fill"/> takes on this machine.</summary>
    public static string Path => Avx512F.IsSupported ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : "scalar";

    /// <summary>Fills <paramref name="destination"/> (length a multiple of 8) with the next uniforms.</summary>
    public void Fill(Span<ulong> destination)
    {
        if (destination.Length % Lanes != 0) throw new ArgumentException("length must be a multiple of 8.", nameof(destination));
        if (Avx512F.IsSupported) Fill512(destination);
        else FillPortable(destination);
    }

    /// <summary>The reference path: lane by lane in scalar code.</summary>
    public void FillScalar(Span<ulong> destination)
    {
        if (destination.Length % Lanes != 0) throw new ArgumentException("length must be a multiple of 8.", nameof(destination));
        Span<ulong> a = stackalloc ulong[Lanes], b = stackalloc ulong[Lanes], c = stackalloc ulong[Lanes], d = stackalloc ulong[Lanes];
        _s0.CopyTo(a); _s1.CopyTo(b); _s2.CopyTo(c); _s3.CopyTo(d);
        for (int i = 0; i < destination.Length; i += Lanes)
        {
            for (int l = 0; l < Lanes; l++)
            {
                destination[i + l] = ulong.RotateLeft(a[l] + d[l], 23) + a[l];
                ulong t = b[l] << 17;
                c[l] ^= a[l]; d[l] ^= b[l]; b[l] ^= c[l]; a[l] ^= d[l]; c[l] ^= t;
                d[l] = ulong.RotateLeft(d[l], 45);
            }
        }
        _s0 = Vector512.Create((ReadOnlySpan<ulong>)a); _s1 = Vector512.Create((ReadOnlySpan<ulong>)b);
        _s2 = Vector512.Create((ReadOnlySpan<ulong>)c); _s3 = Vector512.Create((ReadOnlySpan<ulong>)d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill512(Span<ulong> destination)
    {
        var s0 = _s0; var s1 = _s1; var s2 = _s2; var s3 = _s3;
        ref ulong dst = ref destination[0];
        for (int i = 0; i < destination.Length; i += Lanes)
        {
            var result = Avx512F.RotateLeft(s0 + s3, 23) + s0;
            result.StoreUnsafe(ref dst, (nuint)i);
            var t = Vector512.ShiftLeft(s1, 17);
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
            s3 = Avx512F.RotateLeft(s3, 45);
        }
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
    }

    internal void FillPortable(Span<ulong> destination)
    {
        // Two 256-bit halves of the eight lanes; without AVX2 the Vector256 operations fall back to scalar code.
        var a0 = _s0.GetLower(); var a1 = _s0.GetUpper();
        var b0 = _s1.GetLower(); var b1 = _s1.GetUpper();
        var c0 = _s2.GetLower(); var c1 = _s2.GetUpper();
        var d0 = _s3.GetLower(); var d1 = _s3.GetUpper();
        ref ulong dst = ref destination[0];
        for (int i = 0; i < destination.Length; i += Lanes)
        {
            Step(ref a0, ref b0, ref c0, ref d0).StoreUnsafe(ref dst, (nuint)i);
            Step(ref a1, ref b1, ref c1, ref d1).StoreUnsafe(ref dst, (nuint)(i + 4));
        }
        _s0 = Vector512.Create(a0, a1); _s1 = Vector512.Create(b0, b1);
        _s2 = Vector512.Create(c0, c1); _s3 = Vector512.Create(d0, d1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Step(ref Vector256<ulong> s0, ref Vector256<ulong> s1, ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        var result = Rotl(s0 + s3, 23) + s0;
        var t = Vector256.ShiftLeft(s1, 17);
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = Rotl(s3, 45);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotl(Vector256<ulong> x, int k) => Vector256.ShiftLeft(x, k) | Vector256.ShiftRightLogical(x, 64 - k);
}
