using RgLens.Data;

namespace RgLens.Probes;

/// <summary>
/// Multi-information (total correlation) of a layer's units, I = Σ_j H(y_j) − H(y) ≥ 0, zero exactly
/// when the units are independent (docs/theory.md, "Readings"). Two estimators, in nats:
/// <list type="bullet">
/// <item><see cref="Gaussian"/>: −½ ln det R of the units' correlation matrix, the multi-information of
/// the Gaussian with the same correlations; exact for Gaussian data, defined for any data, and zero
/// iff the units are uncorrelated. Usable for any number of units. Finite-sample bias ≈ M(M−1)/(4n).</item>
/// <item><see cref="PlugIn"/>: the plug-in entropies of binary patterns with the Miller–Madow correction
/// (m̂ − 1)/(2n); consistent for binary data but biased upward unless 2^M ≪ n, so limited to M ≤ 16.</item>
/// </list>
/// Units that are constant over the samples carry no information and are left out.
/// </summary>
public static class MultiInformation
{
    /// <summary>The warning a reading carries when its Gaussian multi-information is infinite (a singular R), else null.</summary>
    public static string? SingularWarning(double gaussian) => double.IsPositiveInfinity(gaussian)
        ? "the units' correlation matrix is singular on the probe samples (some units are exact copies, sign flips or combinations of others): the Gaussian multi-information −½ ln det R is infinite."
        : null;

    /// <summary>Largest M for <see cref="PlugIn"/>.</summary>
    public const int MaxPlugInUnits = 16;

    /// <summary>
    /// Whether the plug-in estimate is worth reporting: at least 8 samples per possible pattern
    /// (2^M ≤ n/8), where the Miller–Madow-corrected bias is a small fraction of a nat.
    /// </summary>
    public static bool PlugInIsReliable(int units, int samples) => units <= MaxPlugInUnits && (8L << units) <= samples;

    /// <summary>
    /// −½ ln det R over the non-constant units. The covariance comes from exact bit counts for ±1
    /// data (<see cref="Numerics.SpinGram"/>) and from chunked float32 products of the centered
    /// data otherwise (<see cref="Numerics.CrossProducts"/>); R is factored by Cholesky.
    /// </summary>
    public static double Gaussian<T>(SampleMatrix<T> z, int threads = 1, CancellationToken cancellation = default) where T : unmanaged, System.Numerics.INumber<T>
    {
        int n = z.Rows, m = z.Columns;
        if (n < 2) throw new DataFormatException("multi-information needs at least 2 samples.");
        double[] cov;
        if (z is SampleMatrix<sbyte> spins && IsSpins(spins)) cov = SpinCovariance(spins, threads, cancellation);
        else
        {
            var mean = Numerics.CrossProducts.ColumnMeans<T>(z);
            cov = Numerics.CrossProducts.Centered<T, T>(z, mean, z, mean, threads, cancellation);
        }
        return FromCovariance(cov, m, n);
    }

    /// <summary>
    /// <see cref="Gaussian{T}"/> of the <paramref name="chosen"/> columns of data held column-major
    /// (<paramref name="columns"/>[j·n + r]), without a row-major copy.
    /// </summary>
    internal static double GaussianOfColumns(float[] columns, int n, IReadOnlyList<int> chosen, int threads = 1, CancellationToken cancellation = default,
        Func<int>? threadsNow = null)
    {
        if (n < 2) throw new DataFormatException("multi-information needs at least 2 samples.");
        var mean = Numerics.CrossProducts.MeansOfColumns(columns, n, chosen);
        return FromCovariance(Numerics.CrossProducts.CenteredGramOfColumns(columns, n, chosen, mean, threads, cancellation, threadsNow), chosen.Count, n);
    }

    /// <summary>−½ ln det R from a covariance (or cross-product) matrix over n samples, constant units left out.</summary>
    private static double FromCovariance(double[] cov, int m, int n)
    {
        var keep = Enumerable.Range(0, m).Where(c => cov[(long)c * m + c] > 1e-300 * n).ToArray();
        if (keep.Length < 2) return 0.0;
        int k = keep.Length;
        var corr = new double[(long)k * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                int a = keep[i], b = keep[j];
                corr[(long)i * k + j] = i == j ? 1 : cov[(long)a * m + b] / Math.Sqrt(cov[(long)a * m + a] * cov[(long)b * m + b]);
            }
        // Perfectly collinear units share all their information.
        return Numerics.Cholesky.Factor(corr, k) ? -0.5 * Numerics.Cholesky.LogDeterminant(corr, k) : double.PositiveInfinity;
    }

    /// <summary><see cref="Gaussian{T}"/> of data known to be ±1 (produced by a binary reading), without checking them again.</summary>
    /// <param name="y">The spins.</param>
    /// <param name="threads">Threads of the Gram matrix.</param>
    /// <param name="cancellation">Checked while the Gram matrix is computed.</param>
    /// <param name="canonicalOrder">
    /// Optional: a permutation, column k of <paramref name="y"/> going to position canonicalOrder[k].
    /// The exact covariance is put in that order before R is factored, so that the same spins in any
    /// column order give the same bits (the exact value does not depend on the order; its rounding does).
    /// </param>
    internal static double GaussianOfSpins(SampleMatrix<sbyte> y, int threads = 1, CancellationToken cancellation = default,
        IReadOnlyList<int>? canonicalOrder = null)
    {
        if (y.Rows < 2) throw new DataFormatException("multi-information needs at least 2 samples.");
        int m = y.Columns;
        var cov = SpinCovariance(y, threads, cancellation);
        if (canonicalOrder is not null)
        {
            if (canonicalOrder.Count != m) throw new ArgumentException($"the order has {canonicalOrder.Count} positions; the spins have {m} columns.");
            var permuted = new double[(long)m * m];
            for (int k = 0; k < m; k++)
            {
                long row = (long)canonicalOrder[k] * m;
                for (int l = 0; l < m; l++) permuted[row + canonicalOrder[l]] = cov[(long)k * m + l];
            }
            cov = permuted;
        }
        return FromCovariance(cov, m, y.Rows);
    }

    /// <summary>Cov(y_i, y_j) = S_ij/n − m_i m_j from the exact bit-count Gram matrix and column sums.</summary>
    private static double[] SpinCovariance(SampleMatrix<sbyte> y, int threads, CancellationToken cancellation)
    {
        int n = y.Rows, m = y.Columns;
        var (gram, sums) = Numerics.SpinGram.ComputeWithSums(y, threads, cancellation);
        var cov = new double[(long)m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) cov[(long)i * m + j] = (double)gram[(long)i * m + j] / n - (double)sums[i] / n * ((double)sums[j] / n);
        return cov;
    }

    private static bool IsSpins(SampleMatrix<sbyte> y)
    {
        foreach (sbyte v in y.Data)
            if (v != 1 && v != -1) return false;
        return true;
    }

    /// <summary>Σ_j Ĥ(y_j) − Ĥ(y) with Miller–Madow corrected plug-in entropies, for ±1 data with M ≤ 16.</summary>
    public static double PlugIn(SampleMatrix<sbyte> y)
    {
        int n = y.Rows, m = y.Columns;
        if (m > MaxPlugInUnits) throw new ArgumentException($"the plug-in estimator is limited to {MaxPlugInUnits} units; got {m}.", nameof(y));
        if (n < 2) throw new DataFormatException("multi-information needs at least 2 samples.");
        var joint = new Dictionary<int, int>();
        var plus = new int[m];
        for (int r = 0; r < n; r++)
        {
            int code = 0;
            for (int c = 0; c < m; c++)
                if (y[r, c] > 0) { code |= 1 << c; plus[c]++; }
            joint[code] = joint.GetValueOrDefault(code) + 1;
        }
        double marginal = 0;
        foreach (int p in plus) marginal += Entropy([p, n - p], n);
        return marginal - Entropy(joint.Values, n);
    }

    private static double Entropy(IEnumerable<int> counts, int n)
    {
        double h = 0;
        int observed = 0;
        foreach (int c in counts)
        {
            if (c == 0) continue;
            observed++;
            double p = (double)c / n;
            h -= p * Math.Log(p);
        }
        return h + (observed - 1) / (2.0 * n);
    }
}
