using MathNet.Numerics.Distributions;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;

namespace RgLens.Probes;

/// <summary>
/// The continuous reading: the gauge-fixed activations through a Gaussian copula. Each unit's
/// values are replaced by normal scores Φ⁻¹((rank − ½)/n) (ties share their mean rank), which
/// removes whatever marginal the activation has (bounded tanh outputs, saturated tails) and keeps
/// only the dependence between units; the coupling is the mean Pearson correlation ρ of the scores
/// of neighbouring units in chain order. ρ is bounded in [−1, 1], never explodes on saturated
/// units, and is 0 for independent units, so it is compared with "no coupling" only, not with a
/// family's K. A unit that is constant on the probe samples carries no dependence: it is left
/// out of the neighbour pairs and named in a warning. Within-network standard error: bootstrap
/// over samples with the scores held fixed.
/// </summary>
public sealed class ContinuousReading : IReading
{
    /// <inheritdoc/>
    public string Id => "continuous";

    /// <inheritdoc/>
    public string Description => "activations as Gaussian-copula normal scores; coupling = mean neighbour correlation ρ";

    /// <inheritdoc/>
    public bool IsingScale => false;

    /// <inheritdoc/>
    public ReadingMeasurement Read(ReadingInput input)
    {
        var z = input.Gauge.Apply(input.Activations);
        int n = z.Rows, m = z.Columns;
        if (m < 2) throw new ArgumentException($"a layer needs at least 2 units to be read as a chain; got {m}.");
        var scores = NormalScores(z, out var constant);
        var warnings = new List<string>();
        if (constant.Count > 0) warnings.Add($"{constant.Count} of {m} unit(s) are constant on the probe samples and carry no dependence; left out of ρ.");
        var pairs = NeighbourPairs(m, input.Boundary).Where(p => !constant.Contains(p.A) && !constant.Contains(p.B)).ToArray();
        double rho = MeanCorrelation(scores, n, m, pairs, null);
        double se = double.NaN;
        if (input.Replicates >= 2 && pairs.Length > 0)
        {
            var reps = new double[input.Replicates];
            var rows = new int[n];
            for (int r = 0; r < reps.Length; r++)
            {
                var rng = Numerics.RandomStream.For(input.Seed, "copula-bootstrap", r);
                for (int i = 0; i < n; i++) rows[i] = rng.NextInt(n);
                reps[r] = MeanCorrelation(scores, n, m, pairs, rows);
            }
            se = Bootstrap.StandardDeviation(reps);
        }
        var means = new double[m];
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += z[i, j];
            means[j] = s / n;
        }
        var live = new SampleMatrix<double>(n, m - constant.Count);
        for (int i = 0, c = 0; c < m; c++)
        {
            if (constant.Contains(c)) continue;
            for (int r = 0; r < n; r++) live[r, i] = scores[r * m + c];
            i++;
        }
        double mi = live.Columns >= 2 ? MultiInformation.Gaussian(live) : 0;
        return new ReadingMeasurement(Id, m, pairs.Length == 0 ? new ParameterEstimate("rho", double.NaN, double.NaN, double.NaN, double.NaN)
                : BinaryChainReading.Estimate("rho", rho, se),
            null, null, null, null, null, means, null, mi, null, warnings);
    }

    /// <summary>Normal scores per column (row-major, samples × units); constant columns are all 0 and listed.</summary>
    internal static double[] NormalScores(SampleMatrix<float> z, out HashSet<int> constant)
    {
        int n = z.Rows, m = z.Columns;
        var scores = new double[(long)n * m];
        constant = [];
        var idx = new int[n];
        var col = new float[n];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++) { col[i] = z[i, j]; idx[i] = i; }
            Array.Sort(col, idx);
            if (col[0] == col[n - 1]) { constant.Add(j); continue; }
            int start = 0;
            while (start < n)
            {
                int end = start;
                while (end + 1 < n && col[end + 1] == col[start]) end++;
                double rank = (start + end) / 2.0 + 1; // mean rank of the tie group, from 1
                double score = Normal.InvCDF(0, 1, (rank - 0.5) / n);
                for (int k = start; k <= end; k++) scores[(long)idx[k] * m + j] = score;
                start = end + 1;
            }
        }
        return scores;
    }

    internal static (int A, int B)[] NeighbourPairs(int m, Boundary boundary)
    {
        var list = new List<(int, int)>();
        for (int j = 0; j + 1 < m; j++) list.Add((j, j + 1));
        if (boundary == Boundary.Periodic && m > 2) list.Add((m - 1, 0));
        return list.ToArray();
    }

    private static double MeanCorrelation(double[] s, int n, int m, (int A, int B)[] pairs, int[]? rows)
    {
        if (pairs.Length == 0) return double.NaN;
        double total = 0;
        foreach (var (a, b) in pairs)
        {
            double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            for (int k = 0; k < n; k++)
            {
                long r = rows is null ? k : rows[k];
                double x = s[r * m + a], y = s[r * m + b];
                sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
            }
            double cov = sab / n - sa / n * (sb / n), va = saa / n - sa / n * (sa / n), vb = sbb / n - sb / n * (sb / n);
            total += va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
        }
        return total / pairs.Length;
    }
}
