using System.Runtime.CompilerServices;

namespace RgLens.Numerics;

/// <summary>
/// A reproducible stream of random numbers: xoshiro256++ (Blackman and Vigna, 2019), seeded from a
/// 64-bit key by SplitMix64. Every random draw in RgLens flows from one user seed through
/// <see cref="Derive(ulong, string, long)"/>, so each component (a sampler block, a bootstrap
/// replicate, a network initialization) has its own stream, and results do not depend on thread
/// count or on the order in which work is scheduled. Written by hand because System.Random's
/// seeded generator is slow and its algorithm is not part of its contract.
/// </summary>
public sealed class RandomStream
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates the stream whose state is expanded from <paramref name="key"/>.</summary>
    public RandomStream(ulong key)
    {
        ulong sm = key;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1; // the all-zero state is the one fixed point
    }

    /// <summary>
    /// The key of the sub-stream named <paramref name="purpose"/> and <paramref name="index"/>
    /// below the user seed <paramref name="seed"/>. Distinct (purpose, index) pairs give
    /// statistically independent streams.
    /// </summary>
    public static ulong Derive(ulong seed, string purpose, long index = 0)
    {
        ulong h = SplitMix64.Mix(seed ^ 0x5241_4E44_4F4D_5345UL);
        h = SplitMix64.Mix(h ^ Fnv1a(purpose));
        return SplitMix64.Mix(h ^ (ulong)index * SplitMix64.Golden);
    }

    /// <summary>Shorthand for <c>new RandomStream(Derive(seed, purpose, index))</c>.</summary>
    public static RandomStream For(ulong seed, string purpose, long index = 0) => new(Derive(seed, purpose, index));

    /// <summary>The next 64 uniformly distributed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>One step of xoshiro256++ on the state (s0, s1, s2, s3): its output, the state advanced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = ulong.RotateLeft(s0 + s3, 23) + s0;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Fills <paramref name="destination"/> with the next uniform doubles in [0, 1): the same values
    /// as as many calls of <see cref="NextDouble"/>, leaving the stream where they would, but with
    /// the state held in locals (registers) instead of read from and written to the object per draw.
    /// </summary>
    public void NextDoubles(Span<double> destination)
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (int i = 0; i < destination.Length; i++) destination[i] = (Step(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 53));
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>A uniform double in (0, 1): never exactly zero, safe for logarithms.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, n), without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong range = (ulong)n;
        ulong x = NextUInt64() >> 32;
        ulong m = x * range;
        ulong low = m & 0xFFFF_FFFFUL;
        if (low < range)
        {
            ulong threshold = (0x1_0000_0000UL - range) % range;
            while (low < threshold)
            {
                x = NextUInt64() >> 32;
                m = x * range;
                low = m & 0xFFFF_FFFFUL;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, from the last item down).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>0 … n − 1 in a seeded random order.</summary>
    public int[] Permutation(int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>A standard normal draw (Marsaglia's polar method; each call uses fresh uniforms).</summary>
    public double NextGaussian()
    {
        while (true)
        {
            double u = 2 * NextDouble() - 1, v = 2 * NextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) return u * Math.Sqrt(-2 * Math.Log(s) / s);
        }
    }

    private static ulong Fnv1a(string text)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in text)
        {
            h ^= c;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}
