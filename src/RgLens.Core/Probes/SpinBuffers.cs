using System.Collections.Concurrent;
using RgLens.Data;

namespace RgLens.Probes;

/// <summary>
/// Spin matrices handed from one binary reading to the next. A probe of a wide layer builds three
/// samples × units matrices of ±1 per layer (sign, stochastic, index), each used for a few seconds;
/// on the development machine a fresh page costs about 12 µs, so 100 MB of new spins cost 0.3 s
/// of faults before any work. Keeping a few matrices of the shapes last used (exact lengths, at
/// most <see cref="Kept"/> of them) lets the next reading of the same width write into memory
/// already mapped. Every entry is overwritten by whoever rents it.
/// </summary>
internal static class SpinBuffers
{
    /// <summary>Most matrices kept between readings.</summary>
    public const int Kept = 4;

    private static readonly ConcurrentQueue<sbyte[]> s_free = new();

    /// <summary>A rows × columns matrix whose contents are undefined (the caller writes every entry).</summary>
    public static SampleMatrix<sbyte> Rent(int rows, int columns)
    {
        long length = (long)rows * columns;
        for (int tries = s_free.Count; tries > 0 && s_free.TryDequeue(out var array); tries--)
        {
            if (array.LongLength == length) return new SampleMatrix<sbyte>(array, rows, columns);
            s_free.Enqueue(array);
        }
        return new SampleMatrix<sbyte>(rows, columns);
    }

    /// <summary>Gives a matrix back once nothing refers to it any more.</summary>
    public static void Return(SampleMatrix<sbyte> matrix)
    {
        s_free.Enqueue(matrix.Data);
        while (s_free.Count > Kept && s_free.TryDequeue(out _)) { }
    }
}
