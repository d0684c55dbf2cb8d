using RgLens.Numerics;
using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Fits the Ising chain's characteristic parameters (K, h) to spin data (docs/theory.md, "Estimators"): exact
/// maximum likelihood or pseudo-likelihood, each with a percentile bootstrap confidence interval
/// over samples, and warnings when the estimate does not exist or is visibly biased.
/// </summary>
public static class IsingEstimator
{
    /// <summary>
    /// A bias warning is issued when |mean of replicates − estimate| exceeds this fraction of the
    /// bootstrap standard error (a bias that shifts a 95% interval's coverage by a few percent).
    /// </summary>
    public const double BiasWarningFraction = FitAssembler.BiasWarningFraction;

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
        var (point, replicates) = FitAssembler.Estimate(stats, dim, estimator, options);
        var notes = options.FixedField is double hf ? new[] { $"h held fixed at {hf}; only K was fitted." } : [];
        return FitAssembler.Assemble(IsingFamily.Instance, method, boundary, data.Rows, data.Columns, point, replicates, options, notes,
            (name, value) => double.IsNaN(value)
                ? $"{name}: not identifiable from these data (every sample is perfectly antiferromagnetic, so the field has no effect)."
                : $"{name}: the {FitAssembler.Describe(method)} estimate does not exist or exceeds {IdentifiableLimit} in magnitude (the data lie on or next to the boundary of the model, e.g. fully aligned samples); reported as {value}.");
    }

    private static double[] Finish(ConcaveMaximizer.Result r, double? fixedField)
    {
        double[] x = r.Argmax.Select(v => Math.Abs(v) > IdentifiableLimit ? Math.Sign(v) * double.PositiveInfinity : v).ToArray();
        return fixedField is double hf ? [x[0], hf] : x;
    }

    private static void ValidateData(SampleMatrix<sbyte> data)
    {
        if (data.Rows < 1) throw new DataFormatException("the data hold no samples.");
        if (data.Columns < 2) throw new DataFormatException($"the data have {data.Columns} site(s) per sample; a chain needs N >= 2.");
        var cancellation = RunCancellation.Token;
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (sbyte v in data.Row(r))
                if (v != 1 && v != -1) throw new DataFormatException($"Ising data must be -1 or +1; found {v}.");
        }
    }
}
