namespace RgLens.Numerics;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a 64-bit mixing function, used only to seed
/// and derive streams, never to draw samples.
/// </summary>
internal static class SplitMix64
{
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 finalizer: a bijective avalanche of the 64 bits of z.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Advances the state by the golden gamma and returns the mixed output.</summary>
    public static ulong Next(ref ulong state)
    {
        state += Golden;
        return Mix(state);
    }
}
