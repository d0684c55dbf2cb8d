using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Fits the Gaussian chain's characteristic parameters (a, K, h) to real-valued data
/// (docs/theory.md, "Readings"; docs/theory-choices.md, "Readings"): exact maximum likelihood through the closed-form ln Z_N
/// (concave in (a, K, h)), or pseudo-likelihood (a regression of each site on its neighbour sum,
/// in closed form). Each parameter gets a percentile bootstrap interval over samples, computed by
/// re-fitting on resampled mean statistics.
/// </summary>
public static class GaussianChainEstimator
{
    /// <summary>Fits <paramref name="data"/> (samples × sites, finite reals).</summary>
    /// <exception cref="DataFormatException">No samples, fewer than 2 sites, or a non-finite value.</exception>
    public static ChainFit Fit(SampleMatrix<double> data, Boundary boundary, EstimationMethod method, FitOptions? options = null)
    {
        options ??= new FitOptions();
        options.Validate();
        ChainEstimator.RequireChainData(GaussianFamily.Instance, data);
        int n = data.Columns;
        double[] stats;
        int dim;
        Func<double[], double[]> estimator;
        if (method == EstimationMethod.MaximumLikelihood)
        {
            stats = GaussianChainStatistics.LikelihoodStatistics(data, boundary);
            dim = GaussianChainStatistics.LikelihoodDimension;
            estimator = mean => GaussianChainLikelihood.Fit(mean, n, boundary, options.FixedField);
        }
        else
        {
            stats = GaussianChainStatistics.PseudoLikelihoodStatistics(data, boundary);
            dim = GaussianChainStatistics.PseudoDimension;
            estimator = mean => GaussianPseudoLikelihood.Fit(mean, n, options.FixedField);
        }
        var (point, replicates) = FitAssembler.Estimate(stats, dim, estimator, options);
        var notes = new List<string>();
        if (options.FixedField is double hf) notes.Add($"h held fixed at {hf}; only a and K were fitted.");
        if (double.IsFinite(point[0]) && !(point[0] > 2 * Math.Abs(point[1])))
            notes.Add($"the estimate a={point[0]:G6}, K={point[1]:G6} violates a > 2|K| (the chain is not normalizable there); the data look massless or are not a Gaussian chain.");
        return FitAssembler.Assemble(GaussianFamily.Instance, method, boundary, data.Rows, data.Columns, point, replicates, options, notes,
            (name, _) => $"{name}: the {FitAssembler.Describe(method)} estimate does not exist for these data (e.g. constant samples, which lie on the model's boundary u = K/a = 1/2); reported as NaN.");
    }
}
