using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Per-sample sufficient statistics of Ising chain data. The likelihood depends on a sample only
/// through B = Σ_bonds s_i s_{i+1} and M = Σ_i s_i; the pseudo-likelihood only through the counts
/// of (s_i, m_i) pairs, m_i the sum of the neighbours of site i (−2 … 2; ±1 at open ends).
/// </summary>
internal static class IsingStatistics
{
    /// <summary>Number of (s, m) categories: s ∈ {+1, −1} × m ∈ {−2, −1, 0, 1, 2}.</summary>
    public const int Categories = 10;

    /// <summary>Category index of (s, m).</summary>
    public static int Category(int s, int m) => (s > 0 ? 0 : 5) + m + 2;

    /// <summary>The (s, m) values of category c.</summary>
    public static (int Spin, int NeighbourSum) Decode(int c) => (c < 5 ? 1 : -1, c % 5 - 2);

    /// <summary>Row-major [B, M] per sample.</summary>
    public static double[] LikelihoodStatistics(SampleMatrix<sbyte> data, Boundary boundary)
    {
        int n = data.Columns;
        var stats = new double[2L * data.Rows];
        var cancellation = RunCancellation.Token; // one look per sample: a pass over 10⁸ values takes about a second
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            int bonds = 0, sum = 0;
            for (int i = 0; i < n - 1; i++)
            {
                bonds += row[i] * row[i + 1];
                sum += row[i];
            }
            sum += row[n - 1];
            if (boundary == Boundary.Periodic) bonds += row[n - 1] * row[0];
            stats[2 * r] = bonds;
            stats[2 * r + 1] = sum;
        }
        return stats;
    }

    /// <summary>Row-major counts of the ten (s, m) categories per sample.</summary>
    public static double[] PseudoLikelihoodStatistics(SampleMatrix<sbyte> data, Boundary boundary)
    {
        int n = data.Columns;
        var stats = new double[(long)Categories * data.Rows];
        var cancellation = RunCancellation.Token; // one look per sample: a pass over 10⁸ values takes about a second
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            var counts = stats.AsSpan(r * Categories, Categories);
            for (int i = 0; i < n; i++)
            {
                int m = 0;
                if (i > 0) m += row[i - 1];
                else if (boundary == Boundary.Periodic) m += row[n - 1];
                if (i < n - 1) m += row[i + 1];
                else if (boundary == Boundary.Periodic) m += row[0];
                counts[Category(row[i], m)] += 1;
            }
        }
        return stats;
    }
}
