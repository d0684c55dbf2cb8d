using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Fits the Ising chain's characteristic parameters (K, h) to spin data (theory.md §3): exact
/// maximum likelihood or pseudo-likelihood, each with a percentile bootstrap confidence interval
/// over samples, and warnings when the estimate does not exist or is visibly biased.
/// </summary>
public static class IsingEstimator
{
    /// <summary>
    /// A bias warning is issued when |mean of replicates − estimate| exceeds this fraction of the
    /// bootstrap standard error (a bias that shifts a 95% interval's coverage by a few percent).
    /// </summary>
    public const double BiasWarningFraction = 0.25;

    /// <summary>
    /// Estimates beyond this magnitude are reported as ±∞: |K| = 15 means a bond breaks with
    /// probability ~e^{−30} ≈ 1e-13, so no realistic data set distinguishes it from infinity, and
    /// the likelihood's maximum is then at (or numerically indistinguishable from) the boundary.
    /// </summary>
    public const double IdentifiableLimit = 15;

    /// <summary>Fits <paramref name="data"/> (samples × sites, values ±1).</summary>
    /// <exception cref="DataFormatException">Data with values other than ±1, fewer than 2 sites, or no samples.</exception>
    public static ChainFit Fit(SampleMatrix<sbyte> data, Boundary boundary, EstimationMethod method, FitOptions? options = null)
    {
        options ??= new FitOptions();
        options.Validate();
        ValidateData(data);
        int n = data.Columns;
        double[] stats;
        int dim;
        Func<double[], double[]> estimator;
        if (method == EstimationMethod.MaximumLikelihood)
        {
            stats = IsingStatistics.LikelihoodStatistics(data, boundary);
            dim = 2;
            int bonds = boundary == Boundary.Periodic ? n : n - 1;
            estimator = mean => IsingMaximumLikelihood.BoundaryEstimate(mean[0], mean[1], n, bonds, options.FixedField)
                ?? Finish(IsingMaximumLikelihood.Fit(mean[0], mean[1], n, boundary, options.FixedField), options.FixedField);
        }
        else
        {
            stats = IsingStatistics.PseudoLikelihoodStatistics(data, boundary);
            dim = IsingStatistics.Categories;
            estimator = mean => Finish(IsingPseudoLikelihood.Fit(mean, options.FixedField), options.FixedField);
        }
        var full = new double[dim];
        for (int r = 0; r < data.Rows; r++)
            for (int d = 0; d < dim; d++) full[d] += stats[r * dim + d];
        for (int d = 0; d < dim; d++) full[d] /= data.Rows;
        double[] point = estimator(full);
        var replicates = options.Replicates > 0
            ? Bootstrap.Replicate(stats, dim, estimator, options.Replicates, options.Seed, options.Threads)
            : [];
        return Assemble(method, boundary, data, point, replicates, options);
    }

    private static ChainFit Assemble(EstimationMethod method, Boundary boundary, SampleMatrix<sbyte> data, double[] point, double[][] replicates, FitOptions options)
    {
        string[] names = ["K", "h"];
        var warnings = new List<string>();
        var estimates = new List<ParameterEstimate>();
        for (int p = 0; p < 2; p++)
        {
            var values = replicates.Select(r => r[p]).ToArray();
            var (lo, hi) = values.Length > 0 ? Bootstrap.PercentileInterval(values, options.ConfidenceLevel) : (double.NaN, double.NaN);
            double se = Bootstrap.StandardDeviation(values);
            estimates.Add(new ParameterEstimate(names[p], point[p], lo, hi, se));
            if (!double.IsFinite(point[p]))
                warnings.Add(double.IsNaN(point[p])
                    ? $"{names[p]}: not identifiable from these data (every sample is perfectly antiferromagnetic, so the field has no effect)."
                    : $"{names[p]}: the {Describe(method)} estimate does not exist or exceeds {IdentifiableLimit} in magnitude (the data lie on or next to the boundary of the model, e.g. fully aligned samples); reported as {point[p]}.");
            int infinite = values.Count(v => !double.IsFinite(v));
            if (infinite > 0)
                warnings.Add($"{names[p]}: {infinite} of {values.Length} bootstrap replicates have no finite estimate; the interval is open-ended.");
            if (double.IsFinite(point[p]) && double.IsFinite(se) && se > 0)
            {
                double bias = values.Where(double.IsFinite).Average() - point[p];
                if (Math.Abs(bias) > BiasWarningFraction * se)
                    warnings.Add($"{names[p]}: bootstrap bias estimate {bias:G3} exceeds {BiasWarningFraction} standard errors ({se:G3}); more samples would reduce it.");
            }
        }
        if (options.FixedField is double hf)
            warnings.Add($"h held fixed at {hf}; only K was fitted.");
        return new ChainFit(IsingFamily.Instance, method, boundary, data.Rows, data.Columns, estimates, options.ConfidenceLevel, replicates.Length, warnings);
    }

    private static double[] Finish(ConcaveMaximizer.Result r, double? fixedField)
    {
        double[] x = r.Argmax.Select(v => Math.Abs(v) > IdentifiableLimit ? Math.Sign(v) * double.PositiveInfinity : v).ToArray();
        return fixedField is double hf ? [x[0], hf] : x;
    }

    private static string Describe(EstimationMethod m) => m == EstimationMethod.MaximumLikelihood ? "maximum-likelihood" : "pseudo-likelihood";

    private static void ValidateData(SampleMatrix<sbyte> data)
    {
        if (data.Rows < 1) throw new DataFormatException("the data hold no samples.");
        if (data.Columns < 2) throw new DataFormatException($"the data have {data.Columns} site(s) per sample; a chain needs N >= 2.");
        foreach (sbyte v in data.Data)
            if (v != 1 && v != -1) throw new DataFormatException($"Ising data must be -1 or +1; found {v}.");
    }
}
