using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Per-sample sufficient statistics of Gaussian chain data. The likelihood depends on a sample
/// only through S1 = Σ x_i, S2 = Σ x_i² and B = Σ_bonds x_i x_{i+1}; the pseudo-likelihood only
/// through Σ x, Σ x², Σ m, Σ m², Σ m x over the sites, m_i the sum of the neighbours of site i.
/// </summary>
internal static class GaussianChainStatistics
{
    /// <summary>Number of likelihood statistics per sample.</summary>
    public const int LikelihoodDimension = 3;

    /// <summary>Number of pseudo-likelihood statistics per sample.</summary>
    public const int PseudoDimension = 5;

    /// <summary>Row-major [S1, S2, B] per sample.</summary>
    public static double[] LikelihoodStatistics(SampleMatrix<double> data, Boundary boundary)
    {
        int n = data.Columns;
        var stats = new double[LikelihoodDimension * (long)data.Rows];
        var cancellation = RunCancellation.Token; // one look per sample: a pass over 10⁸ values takes about a second
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            double s1 = 0, s2 = 0, b = 0;
            for (int i = 0; i < n; i++)
            {
                s1 += row[i];
                s2 += row[i] * row[i];
                if (i < n - 1) b += row[i] * row[i + 1];
            }
            if (boundary == Boundary.Periodic) b += row[n - 1] * row[0];
            stats[3 * r] = s1;
            stats[3 * r + 1] = s2;
            stats[3 * r + 2] = b;
        }
        return stats;
    }

    /// <summary>Row-major [Σx, Σx², Σm, Σm², Σmx] per sample.</summary>
    public static double[] PseudoLikelihoodStatistics(SampleMatrix<double> data, Boundary boundary)
    {
        int n = data.Columns;
        var stats = new double[PseudoDimension * (long)data.Rows];
        var cancellation = RunCancellation.Token; // one look per sample: a pass over 10⁸ values takes about a second
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            var s = stats.AsSpan(PseudoDimension * r, PseudoDimension);
            for (int i = 0; i < n; i++)
            {
                double x = row[i], m = NeighbourSum(row, i, boundary);
                s[0] += x;
                s[1] += x * x;
                s[2] += m;
                s[3] += m * m;
                s[4] += m * x;
            }
        }
        return stats;
    }

    /// <summary>x_{i−1} + x_{i+1}, with the ring closed or the open chain's missing neighbour left out.</summary>
    public static double NeighbourSum(ReadOnlySpan<double> row, int i, Boundary boundary)
    {
        int n = row.Length;
        double m = 0;
        if (i > 0) m += row[i - 1];
        else if (boundary == Boundary.Periodic) m += row[n - 1];
        if (i < n - 1) m += row[i + 1];
        else if (boundary == Boundary.Periodic) m += row[0];
        return m;
    }
}
