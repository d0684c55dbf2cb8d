using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Per-sample sufficient statistics of any chain family's data: the likelihood depends on a
/// sample only through S_k = Σ_i T_k(x_i) (k = 0 … d − 1) and B = Σ_bonds x_i x_{i+1}.
/// </summary>
internal static class FamilyStatistics
{
    /// <summary>Row-major [S_0 … S_{d−1}, B] per sample.</summary>
    public static double[] LikelihoodStatistics(ChainFamily family, SampleMatrix<double> data, Boundary boundary)
    {
        int d = family.StatisticCount, n = data.Columns, dim = d + 1;
        var stats = new double[dim * (long)data.Rows];
        var t = new double[d];
        var cancellation = RunCancellation.Token; // one look per sample: a pass over 10⁸ values takes about a second
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            var s = stats.AsSpan(r * dim, dim);
            for (int i = 0; i < n; i++)
            {
                family.Statistics(row[i], t);
                for (int k = 0; k < d; k++) s[k] += t[k];
                if (i < n - 1) s[d] += row[i] * row[i + 1];
            }
            if (boundary == Boundary.Periodic) s[d] += row[n - 1] * row[0];
        }
        return stats;
    }

    /// <summary>The spread (standard deviation over all sites) of each T_k and of x x' in the data, floored away from 0.</summary>
    public static double[] Spreads(ChainFamily family, SampleMatrix<double> data)
    {
        int d = family.StatisticCount;
        var sum = new double[d + 1];
        var sq = new double[d + 1];
        var t = new double[d];
        long count = 0;
        var cancellation = RunCancellation.Token; // one look per sample: a pass over 10⁸ values takes about a second
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            for (int i = 0; i < row.Length; i++)
            {
                family.Statistics(row[i], t);
                for (int k = 0; k < d; k++)
                {
                    sum[k] += t[k];
                    sq[k] += t[k] * t[k];
                }
                double pair = i + 1 < row.Length ? row[i] * row[i + 1] : 0;
                sum[d] += pair;
                sq[d] += pair * pair;
                count++;
            }
        }
        var spread = new double[d + 1];
        for (int k = 0; k <= d; k++)
        {
            double m = sum[k] / count;
            spread[k] = Math.Sqrt(Math.Max(sq[k] / count - m * m, 0));
        }
        return spread;
    }
}
