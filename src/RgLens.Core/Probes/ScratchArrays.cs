using RgLens.Data;

namespace RgLens.Probes;

/// <summary>
/// Large arrays handed from one reading to the next: the ±1 spins of the binary readings (samples ×
/// units bytes) and the column-major scores of the continuous reading (samples × units floats),
/// each used for a few seconds. Fresh memory is costly to touch: on the development VM a first
/// write to a page costs about 12 µs, because the host backs guest memory only when it is first
/// used and takes freed memory back (free-page reporting), so 400 MB of new scores cost more than
/// a second of faults before any work. Keeping the arrays last used (at most <see cref="Kept"/>,
/// the largest) lets the next reading write into memory already mapped; new ones are allocated
/// with huge pages advised (<see cref="Numerics.LargeArrays"/>). Whoever rents an array writes
/// every element it reads. The pool is process-wide, like <see cref="System.Buffers.ArrayPool{T}"/>,
/// but does not trim itself: it holds at most <see cref="Kept"/> arrays until <see cref="Clear"/>.
/// </summary>
public static class ScratchArrays
{
    /// <summary>Most arrays kept between readings.</summary>
    public const int Kept = 4;

    private static readonly object s_lock = new();
    private static readonly List<Array> s_free = [];

    /// <summary>An array of at least <paramref name="length"/> elements (the smallest kept one that fits), contents undefined.</summary>
    internal static T[] Rent<T>(long length) where T : unmanaged => Take<T>(length, exact: false) ?? Numerics.LargeArrays.NewUninitialized<T>(length);

    /// <summary>A rows × columns matrix whose contents are undefined (the caller writes every entry).</summary>
    internal static SampleMatrix<T> RentMatrix<T>(int rows, int columns) where T : unmanaged, System.Numerics.INumber<T>
    {
        long length = (long)rows * columns;
        MemoryBudget.RequireMatrix($"a {rows} x {columns} matrix of {typeof(T).Name}", rows, columns, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        return new SampleMatrix<T>(Take<T>(length, exact: true) ?? Numerics.LargeArrays.NewUninitialized<T>(length), rows, columns);
    }

    /// <summary>Gives an array back once nothing refers to it any more.</summary>
    internal static void Return<T>(T[] array) where T : unmanaged
    {
        lock (s_lock)
        {
            s_free.Add(array);
            if (s_free.Count > Kept) s_free.Remove(s_free.MinBy(Bytes)!); // keep the largest
        }
    }

    /// <summary>Gives a matrix's array back once nothing refers to it any more.</summary>
    internal static void Return<T>(SampleMatrix<T> matrix) where T : unmanaged, System.Numerics.INumber<T> => Return(matrix.Data);

    /// <summary>Drops every kept array (for a library user who wants the memory back).</summary>
    public static void Clear()
    {
        lock (s_lock) s_free.Clear();
    }

    private static T[]? Take<T>(long length, bool exact) where T : unmanaged
    {
        lock (s_lock)
        {
            T[]? best = null;
            foreach (var a in s_free)
                if (a is T[] t && (exact ? t.LongLength == length : t.LongLength >= length) && (best is null || t.LongLength < best.LongLength)) best = t;
            if (best is not null) s_free.Remove(best);
            return best;
        }
    }

    private static long Bytes(Array a) => a.LongLength * System.Runtime.InteropServices.Marshal.SizeOf(a.GetType().GetElementType()!);
}
