using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// The common tail of every chain estimator (docs/theory.md, "Estimators"): the point estimate from the mean of
/// the per-sample statistics, its bootstrap replicates, and the <see cref="ChainFit"/> with
/// percentile intervals and the warnings a careful reader needs (non-finite estimates, open-ended
/// intervals, visible bootstrap bias).
/// </summary>
internal static class FitAssembler
{
    /// <summary>
    /// A bias warning is issued when |mean of replicates − estimate| exceeds this fraction of the
    /// bootstrap standard error (a bias that shifts a 95% interval's coverage by a few percent).
    /// </summary>
    public const double BiasWarningFraction = 0.25;

    /// <summary>The estimate on the mean of <paramref name="rowStatistics"/> and its bootstrap replicates.</summary>
    public static (double[] Point, double[][] Replicates) Estimate(double[] rowStatistics, int dimension, Func<double[], double[]> estimator, FitOptions options)
    {
        int rows = rowStatistics.Length / dimension;
        var mean = new double[dimension];
        for (int r = 0; r < rows; r++)
            for (int d = 0; d < dimension; d++) mean[d] += rowStatistics[r * dimension + d];
        for (int d = 0; d < dimension; d++) mean[d] /= rows;
        double[] point = estimator(mean);
        var replicates = options.Replicates > 0
            ? Bootstrap.Replicate(rowStatistics, dimension, estimator, options.Replicates, options.Seed, options.Threads, options.Cancellation)
            : [];
        return (point, replicates);
    }

    /// <summary>
    /// Builds the fit. <paramref name="nonFinite"/> words the warning for a non-finite point estimate
    /// of the named parameter (null: a generic one); <paramref name="notes"/> are appended as they are.
    /// </summary>
    public static ChainFit Assemble(ChainFamily family, EstimationMethod method, Boundary boundary, int samples, int sites,
        double[] point, double[][] replicates, FitOptions options, IEnumerable<string>? notes = null,
        Func<string, double, string>? nonFinite = null, bool biasWarnings = true)
    {
        var warnings = new List<string>();
        var estimates = new List<ParameterEstimate>();
        for (int p = 0; p < point.Length; p++)
        {
            string name = family.Parameters[p].Name;
            var values = replicates.Select(r => r[p]).ToArray();
            var (lo, hi) = values.Length > 0 ? Bootstrap.PercentileInterval(values, options.ConfidenceLevel) : (double.NaN, double.NaN);
            double se = Bootstrap.StandardDeviation(values);
            estimates.Add(new ParameterEstimate(name, point[p], lo, hi, se));
            if (!double.IsFinite(point[p]))
                warnings.Add(nonFinite?.Invoke(name, point[p])
                    ?? $"{name}: the {Describe(method)} estimate does not exist (the data lie on the boundary of the model); reported as {point[p]}.");
            int infinite = values.Count(v => !double.IsFinite(v));
            if (infinite > 0)
                warnings.Add($"{name}: {infinite} of {values.Length} bootstrap replicates have no finite estimate; the interval is open-ended.");
            if (biasWarnings && double.IsFinite(point[p]) && double.IsFinite(se) && se > 0)
            {
                double bias = values.Where(double.IsFinite).Average() - point[p];
                if (Math.Abs(bias) > BiasWarningFraction * se)
                    warnings.Add($"{name}: bootstrap bias estimate {bias:G3} exceeds {BiasWarningFraction} standard errors ({se:G3}); more samples would reduce it.");
            }
        }
        if (notes is not null) warnings.AddRange(notes);
        return new ChainFit(family, method, boundary, samples, sites, estimates, options.ConfidenceLevel, replicates.Length, warnings)
        {
            Covariance = Covariance(replicates, point.Length),
        };
    }

    /// <summary>The sample covariance of the replicates whose parameters are all finite (null with fewer than 2).</summary>
    private static double[,]? Covariance(double[][] replicates, int dimension)
    {
        var finite = replicates.Where(r => r.Length == dimension && r.All(double.IsFinite)).ToArray();
        if (finite.Length < 2) return null;
        var mean = new double[dimension];
        foreach (var r in finite)
            for (int i = 0; i < dimension; i++) mean[i] += r[i] / finite.Length;
        var cov = new double[dimension, dimension];
        foreach (var r in finite)
            for (int i = 0; i < dimension; i++)
                for (int j = 0; j < dimension; j++) cov[i, j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (finite.Length - 1);
        return cov;
    }

    /// <summary>"maximum-likelihood" or "pseudo-likelihood".</summary>
    public static string Describe(EstimationMethod m) => m == EstimationMethod.MaximumLikelihood ? "maximum-likelihood" : "pseudo-likelihood";
}
