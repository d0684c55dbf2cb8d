using RgLens.Numerics;

namespace RgLens.Estimation;

/// <summary>
/// The nonparametric bootstrap over samples (Efron 1979) for estimators that depend on the data
/// only through the mean of per-sample statistic vectors: each replicate resamples rows with
/// replacement, averages their statistics and re-applies the estimator. Replicate b draws from
/// its own stream derived from the seed, so the intervals do not depend on the thread count.
/// Intervals are percentile intervals (linear interpolation between order statistics).
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// Replicates of <paramref name="estimator"/> on resampled means of <paramref name="rowStatistics"/>
    /// (row-major, <paramref name="dimension"/> values per row). Returns replicates × parameters.
    /// </summary>
    public static double[][] Replicate(double[] rowStatistics, int dimension, Func<double[], double[]> estimator,
        int replicates, ulong seed, int threads = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (rowStatistics.Length % dimension != 0) throw new ArgumentException("statistics length must be a multiple of the dimension.", nameof(rowStatistics));
        int rows = rowStatistics.Length / dimension;
        return ReplicateCounts(rows, counts =>
        {
            var mean = new double[dimension];
            for (int r = 0; r < rows; r++)
            {
                if (counts[r] == 0) continue;
                var row = rowStatistics.AsSpan(r * dimension, dimension);
                for (int d = 0; d < dimension; d++) mean[d] += counts[r] * row[d];
            }
            for (int d = 0; d < dimension; d++) mean[d] /= rows;
            return estimator(mean);
        }, replicates, seed, threads, cancellation);
    }

    /// <summary>
    /// Replicates of an estimator that needs the resampled rows themselves rather than a mean of
    /// row statistics: replicate b draws the same row indices as <see cref="Replicate"/> (stream
    /// <c>Derive(seed, "bootstrap", b)</c>) and passes how often each row was drawn.
    /// </summary>
    public static double[][] ReplicateCounts(int rows, Func<int[], double[]> estimator, int replicates, ulong seed,
        int threads = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var result = new double[replicates][];
        // The estimators' own loops look at the run's token (RunCancellation): without a token of
        // its own the loop takes that one, so that replicates stopped by it end as one cancellation.
        if (!cancellation.CanBeCanceled) cancellation = RunCancellation.Token;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount, CancellationToken = cancellation };
        try
        {
            Parallel.For(0, replicates, options, b =>
            {
                var rng = RandomStream.For(seed, "bootstrap", b);
                var counts = new int[rows];
                for (int i = 0; i < rows; i++) counts[rng.NextInt(rows)]++;
                result[b] = estimator(counts);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // Replicates stopped by a token other than the loop's (the run's, beside the caller's): one cancellation, not many.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return result;
    }

    /// <summary>Most blocks <see cref="Blocks"/> cuts the rows into.</summary>
    public const int MaxBlocks = 4096;

    /// <summary>
    /// Boundaries of the blocks of consecutive rows that a block bootstrap resamples: B + 1 row
    /// indices with B = min(rows, <see cref="MaxBlocks"/>), block b holding rows
    /// [starts[b], starts[b+1]). Up to <see cref="MaxBlocks"/> rows every block is one row and the
    /// block bootstrap is the row bootstrap. Beyond, resampling B blocks with replacement gives the
    /// statistics' means the same variance as resampling rows (for independent rows: a block
    /// sum is the sum of its rows, so the two agree to first order; for rows correlated along the
    /// file, as in an unthinned Monte Carlo chain, the blocks keep that correlation and the
    /// errors are the more honest), at a cost that does not grow with the rows.
    /// </summary>
    public static int[] Blocks(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        int b = Math.Min(rows, MaxBlocks);
        var starts = new int[b + 1];
        for (int i = 0; i <= b; i++) starts[i] = (int)((long)i * rows / b);
        return starts;
    }

    /// <summary>The percentile interval [q(α/2), q(1 − α/2)] of <paramref name="values"/> at confidence 1 − α.</summary>
    public static (double Lower, double Upper) PercentileInterval(IEnumerable<double> values, double confidenceLevel)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return (double.NaN, double.NaN);
        double alpha = 1 - confidenceLevel;
        return (Quantile(sorted, alpha / 2), Quantile(sorted, 1 - alpha / 2));
    }

    /// <summary>Standard deviation of the finite values (NaN when fewer than two).</summary>
    public static double StandardDeviation(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length < 2) return double.NaN;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }

    /// <summary>Type-7 quantile (linear interpolation) of sorted values.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double frac = pos - lo;
        if (frac == 0 || sorted[lo] == sorted[hi]) return sorted[lo];
        if (double.IsInfinity(sorted[lo]) || double.IsInfinity(sorted[hi])) return frac < 0.5 ? sorted[lo] : sorted[hi];
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }
}
