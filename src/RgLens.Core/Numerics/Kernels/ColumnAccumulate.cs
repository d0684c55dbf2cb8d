using System.Numerics;
using System.Runtime.CompilerServices;

namespace RgLens.Numerics;

/// <summary>
/// Per-column sums over the rows of a float32 matrix held in double, one row at a time: the passes
/// of the gauge (means, covariances with the magnetization, squared deviations) over a layer of a
/// thousand units and a hundred thousand samples. Each column's sum takes the same operations in
/// the same order as the scalar reference (<c>*Scalar</c>) — a float widened to double exactly,
/// then one subtraction, one multiplication, one addition, never fused — so the vector path gives
/// the same bits; only the columns share a vector.
/// </summary>
internal static class ColumnAccumulate
{
    /// <summary>acc[j] += row[j].</summary>
    public static void Add(ReadOnlySpan<float> row, Span<double> acc)
    {
        if (acc.Length != row.Length) throw new ArgumentException("row and sums must have the same length.");
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int lanes = Vector<float>.Count;
            for (; j <= row.Length - lanes; j += lanes)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                var a = acc[j..];
                (new Vector<double>(a) + lo).CopyTo(a);
                var b = acc[(j + lanes / 2)..];
                (new Vector<double>(b) + hi).CopyTo(b);
            }
        }
        for (; j < row.Length; j++) acc[j] += row[j];
    }

    /// <summary>Scalar reference of <see cref="Add"/>.</summary>
    public static void AddScalar(ReadOnlySpan<float> row, Span<double> acc)
    {
        for (int j = 0; j < row.Length; j++) acc[j] += row[j];
    }

    /// <summary>acc[j] += e·row[j] (a multiplication, then an addition).</summary>
    public static void AddScaled(ReadOnlySpan<float> row, double e, Span<double> acc)
    {
        if (acc.Length != row.Length) throw new ArgumentException("row and sums must have the same length.");
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int lanes = Vector<float>.Count;
            var ve = new Vector<double>(e);
            for (; j <= row.Length - lanes; j += lanes)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                var a = acc[j..];
                (new Vector<double>(a) + ve * lo).CopyTo(a);
                var b = acc[(j + lanes / 2)..];
                (new Vector<double>(b) + ve * hi).CopyTo(b);
            }
        }
        for (; j < row.Length; j++) acc[j] += e * row[j];
    }

    /// <summary>Scalar reference of <see cref="AddScaled"/>.</summary>
    public static void AddScaledScalar(ReadOnlySpan<float> row, double e, Span<double> acc)
    {
        for (int j = 0; j < row.Length; j++) acc[j] += e * row[j];
    }

    /// <summary>
    /// Σ_j row[j]·weights[j] in double, each float widened exactly. The vector path keeps one
    /// partial sum per lane and adds the lanes at the end: deterministic, but not the scalar
    /// loop's order (<see cref="DotScalar"/> agrees to rounding).
    /// </summary>
    public static double Dot(ReadOnlySpan<float> row, ReadOnlySpan<double> weights)
    {
        if (weights.Length != row.Length) throw new ArgumentException("row and weights must have the same length.");
        int j = 0;
        double total = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            int lanes = Vector<float>.Count;
            Vector<double> s0 = Vector<double>.Zero, s1 = Vector<double>.Zero;
            for (; j <= row.Length - lanes; j += lanes)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                s0 += lo * new Vector<double>(weights[j..]);
                s1 += hi * new Vector<double>(weights[(j + lanes / 2)..]);
            }
            total = Vector.Sum(s0 + s1);
        }
        for (; j < row.Length; j++) total += row[j] * weights[j];
        return total;
    }

    /// <summary>Scalar reference of <see cref="Dot"/>.</summary>
    public static double DotScalar(ReadOnlySpan<float> row, ReadOnlySpan<double> weights)
    {
        double total = 0;
        for (int j = 0; j < row.Length; j++) total += row[j] * weights[j];
        return total;
    }

    /// <summary>With d = row[j] − mean[j]: cov[j] += d·e and sq[j] += d·d.</summary>
    public static void AddCentered(ReadOnlySpan<float> row, ReadOnlySpan<double> mean, double e, Span<double> cov, Span<double> sq)
    {
        if (mean.Length != row.Length || cov.Length != row.Length || sq.Length != row.Length)
            throw new ArgumentException("row, means and sums must have the same length.");
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int lanes = Vector<float>.Count, half = lanes / 2;
            var ve = new Vector<double>(e);
            for (; j <= row.Length - lanes; j += lanes)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                Centered(lo, mean[j..], ve, cov[j..], sq[j..]);
                Centered(hi, mean[(j + half)..], ve, cov[(j + half)..], sq[(j + half)..]);
            }
        }
        for (; j < row.Length; j++)
        {
            double d = row[j] - mean[j];
            cov[j] += d * e;
            sq[j] += d * d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Centered(Vector<double> x, ReadOnlySpan<double> mean, Vector<double> e, Span<double> cov, Span<double> sq)
    {
        var d = x - new Vector<double>(mean);
        (new Vector<double>(cov) + d * e).CopyTo(cov);
        (new Vector<double>(sq) + d * d).CopyTo(sq);
    }

    /// <summary>Scalar reference of <see cref="AddCentered"/>.</summary>
    public static void AddCenteredScalar(ReadOnlySpan<float> row, ReadOnlySpan<double> mean, double e, Span<double> cov, Span<double> sq)
    {
        for (int j = 0; j < row.Length; j++)
        {
            double d = row[j] - mean[j];
            cov[j] += d * e;
            sq[j] += d * d;
        }
    }

    /// <summary>With d = row[j] − mean[j]: sq[j] += d·d.</summary>
    public static void AddSquaredDeviations(ReadOnlySpan<float> row, ReadOnlySpan<double> mean, Span<double> sq)
    {
        if (mean.Length != row.Length || sq.Length != row.Length) throw new ArgumentException("row, means and sums must have the same length.");
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int lanes = Vector<float>.Count, half = lanes / 2;
            for (; j <= row.Length - lanes; j += lanes)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                var d0 = lo - new Vector<double>(mean[j..]);
                (new Vector<double>(sq[j..]) + d0 * d0).CopyTo(sq[j..]);
                var d1 = hi - new Vector<double>(mean[(j + half)..]);
                (new Vector<double>(sq[(j + half)..]) + d1 * d1).CopyTo(sq[(j + half)..]);
            }
        }
        for (; j < row.Length; j++)
        {
            double d = row[j] - mean[j];
            sq[j] += d * d;
        }
    }

    /// <summary>Scalar reference of <see cref="AddSquaredDeviations"/>.</summary>
    public static void AddSquaredDeviationsScalar(ReadOnlySpan<float> row, ReadOnlySpan<double> mean, Span<double> sq)
    {
        for (int j = 0; j < row.Length; j++)
        {
            double d = row[j] - mean[j];
            sq[j] += d * d;
        }
    }
}
