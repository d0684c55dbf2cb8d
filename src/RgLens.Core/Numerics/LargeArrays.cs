using System.Runtime.InteropServices;

namespace RgLens.Numerics;

/// <summary>
/// Arrays of many megabytes (a layer's samples × units, a column-major copy of it) whose memory
/// the kernel may back with 2 MiB transparent huge pages instead of 4 KiB pages. A probe of a wide
/// layer writes gigabytes into memory it has just allocated, and every first write to a 4 KiB
/// page is a page fault: about 12–17 µs each on the development VM (measured: first touch of a
/// fresh 400 MB array, 1.4–1.7 s with 4 KiB pages, 0.1–1.0 s advised). On Linux, where
/// /sys/kernel/mm/transparent_hugepage/enabled is "madvise" (the common default) huge pages are
/// used only for ranges advised with madvise(MADV_HUGEPAGE), which is what <see cref="Advise{T}"/>
/// does. Written by hand because .NET has no such allocation option for managed arrays: the
/// advice is a hint on the address range and changes no value; elsewhere it does nothing.
/// </summary>
public static class LargeArrays
{
    /// <summary>Arrays smaller than this (bytes) are not advised: at least two whole huge pages.</summary>
    public const long AdviseFrom = 4L << 20;

    private const long HugePage = 2L << 20;
    private const int MadvHugePage = 14; // MADV_HUGEPAGE in <asm-generic/mman-common.h>

    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int MAdvise(nint address, nuint length, int advice);

    /// <summary>A zero-filled array of <paramref name="length"/> elements, advised when large.</summary>
    public static T[] New<T>(long length) where T : unmanaged
    {
        var a = new T[length];
        Advise(a);
        return a;
    }

    /// <summary>
    /// An array whose contents are undefined (the caller writes every element before reading it),
    /// advised when large: fresh memory is not touched until the caller writes it.
    /// </summary>
    public static T[] NewUninitialized<T>(long length) where T : unmanaged
    {
        if (length > Array.MaxLength) throw new OutOfMemoryException($"{length} elements exceed the largest array .NET allows ({Array.MaxLength}).");
        var a = GC.AllocateUninitializedArray<T>((int)length);
        Advise(a);
        return a;
    }

    /// <summary>
    /// Advises huge pages for the whole 2 MiB pages inside <paramref name="array"/>'s memory. Pages
    /// already written keep their 4 KiB backing; the advice helps the ones not yet touched.
    /// </summary>
    public static unsafe void Advise<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.LongLength * sizeof(T);
        if (s_unavailable || bytes < AdviseFrom) return;
        fixed (T* p = array)
        {
            long start = ((long)p + HugePage - 1) & ~(HugePage - 1), end = ((long)p + bytes) & ~(HugePage - 1);
            if (end <= start) return;
            try
            {
                MAdvise((nint)start, (nuint)(end - start), MadvHugePage); // EINVAL where THP is compiled out: nothing to do
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_unavailable = true;
            }
        }
    }
}
