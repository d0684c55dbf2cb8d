using System.Globalization;

namespace RgLens.Data;

/// <summary>
/// Refuses a request whose arrays cannot exist before anything is allocated: sizes are multiplied
/// in floating point (no 32-bit overflow), compared with the largest .NET array and with the
/// memory this process may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: physical
/// memory or the container's limit). The message names what was asked and what fits.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Requests below this many bytes are not checked against the memory (only against the array limit).</summary>
    private const double CheckAbove = 256.0 * (1 << 20);

    /// <summary>The memory this process may use, in bytes.</summary>
    public static long AvailableBytes
    {
        get
        {
            long b = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            return b > 0 ? b : long.MaxValue;
        }
    }

    /// <summary>Throws unless <paramref name="largestArray"/> elements fit one array and <paramref name="bytes"/> fit the memory.</summary>
    /// <param name="what">What was asked, as the user said it (e.g. <c>--samples 1000 x --N 2147483647</c>).</param>
    /// <param name="bytes">The bytes the request allocates at least.</param>
    /// <param name="largestArray">Elements of its largest single array.</param>
    /// <exception cref="RgLensException">It does not fit.</exception>
    public static void Require(string what, double bytes, double largestArray)
    {
        if (largestArray > Array.MaxLength)
            throw new RgLensException(string.Create(CultureInfo.InvariantCulture,
                $"{what} needs an array of {largestArray:G4} elements; one array holds at most {Array.MaxLength:N0}."));
        if (bytes <= CheckAbove) return;
        long available = AvailableBytes;
        if (bytes > available)
            throw new RgLensException($"{what} needs at least {Format(bytes)} of memory; this process can use {Format(available)}.");
    }

    /// <summary>Checks a rows × columns matrix of <paramref name="elementBytes"/>-byte elements.</summary>
    public static void RequireMatrix(string what, long rows, long columns, int elementBytes)
    {
        double elements = (double)rows * columns;
        Require(what, elements * elementBytes, elements);
    }

    /// <summary>A byte count for a message: "12.3 GB".</summary>
    public static string Format(double bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
        int u = 0;
        while (bytes >= 1000 && u < units.Length - 1)
        {
            bytes /= 1000;
            u++;
        }
        return bytes.ToString(u == 0 ? "F0" : "0.#", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
