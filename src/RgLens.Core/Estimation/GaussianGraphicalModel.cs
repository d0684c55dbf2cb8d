using MathNet.Numerics.LinearAlgebra;
using RgLens.Data;
using System.Numerics.Tensors;

namespace RgLens.Estimation;

/// <summary>
/// The general Gaussian graphical model of a set of units (docs/theory.md, "Estimators"): the maximum-likelihood
/// precision matrix of all units, with no chain structure assumed, so it serves units that have
/// no intrinsic order (fully connected layers). Its off-diagonal couplings J_ij = −Q_ij are the
/// exact MLE of the pairwise couplings for Gaussian data; for binary data −C⁻¹ is the naive
/// mean-field inverse, which is biased (docs/theory.md, "Estimators"), so this estimator is for the continuous
/// reading only. The largest |J_ij| and the multi-information get percentile bootstrap intervals
/// over samples (each replicate on its own stream). Cost: O(R M²) for the covariance and O(M³)
/// for the inverse, per replicate.
/// </summary>
public static class GaussianGraphicalModel
{
    /// <summary>Fits the model to <paramref name="data"/> (samples × units, finite reals, more samples than units).</summary>
    /// <exception cref="DataFormatException">Too few samples, a non-finite value, or a singular covariance (a constant unit, or units that are exact linear combinations of others).</exception>
    public static GaussianGraphicalModelFit Fit(SampleMatrix<double> data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new FitOptions();
        options.Validate();
        int rows = data.Rows, m = data.Columns;
        if (m < 2) throw new DataFormatException($"a Gaussian graphical model needs at least 2 units; got {m}.");
        if (rows <= m) throw new DataFormatException($"the Gaussian graphical model of {m} units needs more than {m} samples (the covariance is singular otherwise); got {rows}.");
        foreach (double v in data.Data)
            if (!double.IsFinite(v)) throw new DataFormatException($"Gaussian graphical model data must be finite numbers; found {v}.");
        var ones = new int[rows];
        Array.Fill(ones, 1);
        var (means, cov) = WeightedMoments(data, ones);
        for (int i = 0; i < m; i++)
            if (!(cov[i, i] > 0)) throw new DataFormatException($"unit {i} is constant in the data; the covariance is singular and the precision matrix does not exist.");
        var summary = Summarize(cov) ?? throw new DataFormatException("the sample covariance is singular (some units are exact linear combinations of others); the precision matrix does not exist.");
        double[][] replicates = options.Replicates > 0
            ? Bootstrap.ReplicateCounts(rows, counts =>
            {
                var s = Summarize(WeightedMoments(data, counts).Covariance);
                return s is null ? [double.NaN, double.NaN] : [s.MaxAbs, s.MultiInformation];
            }, options.Replicates, options.Seed, options.Threads)
            : [];
        var warnings = new List<string>();
        int singular = replicates.Count(r => double.IsNaN(r[0]));
        if (singular > 0) warnings.Add($"{singular} of {replicates.Length} bootstrap replicates had a singular covariance and were left out of the intervals.");
        ParameterEstimate Estimate(string name, double value, int column)
        {
            var values = replicates.Select(r => r[column]).Where(double.IsFinite).ToArray();
            var (lo, hi) = values.Length > 0 ? Bootstrap.PercentileInterval(values, options.ConfidenceLevel) : (double.NaN, double.NaN);
            double se = Bootstrap.StandardDeviation(values);
            if (values.Length > 1 && se > 0 && Math.Abs(values.Average() - value) > FitAssembler.BiasWarningFraction * se)
                warnings.Add($"{name}: bootstrap bias estimate {values.Average() - value:G3} exceeds {FitAssembler.BiasWarningFraction} standard errors ({se:G3}); the sample estimate of this quantity is biased at this sample size.");
            return new ParameterEstimate(name, value, lo, hi, se);
        }
        var maxAbs = Estimate("max_abs_coupling", summary.MaxAbs, 0);
        var info = Estimate("multi_information", summary.MultiInformation, 1);
        return new GaussianGraphicalModelFit(rows, m, means, cov, summary.Precision, summary.Couplings, summary.Strongest,
            maxAbs, info, options.ConfidenceLevel, replicates.Length, warnings);
    }

    /// <summary>Relative conditional variance below which the covariance counts as singular (≈ 1e4 ulps of rounding).</summary>
    private const double SingularityThreshold = 1e-12;

    private sealed record Summary(double[,] Precision, double[,] Couplings, (int, int) Strongest, double MaxAbs, double MultiInformation);

    /// <summary>Precision, couplings and the two scalar summaries of a covariance; null when it is not positive definite.</summary>
    private static Summary? Summarize(double[,] cov)
    {
        int m = cov.GetLength(0);
        var c = Matrix<double>.Build.DenseOfArray(cov);
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> chol;
        try { chol = c.Cholesky(); }
        catch (ArgumentException) { return null; }
        // A unit whose variance given the units before it is below 1e-12 of its own variance is an
        // exact linear combination of them up to rounding: the precision would be noise.
        var factor = chol.Factor;
        for (int i = 0; i < m; i++)
            if (!(factor[i, i] * factor[i, i] > SingularityThreshold * cov[i, i])) return null;
        double logDet = chol.DeterminantLn;
        var q = chol.Solve(Matrix<double>.Build.DenseIdentity(m)).ToArray();
        var j = new double[m, m];
        double best = -1, sumLogVar = 0;
        (int, int) pair = (0, 1);
        for (int i = 0; i < m; i++)
        {
            sumLogVar += Math.Log(cov[i, i]);
            for (int k = i + 1; k < m; k++)
            {
                double v = -0.5 * (q[i, k] + q[k, i]);
                q[i, k] = q[k, i] = -v;
                j[i, k] = j[k, i] = v;
                if (Math.Abs(v) > best) (best, pair) = (Math.Abs(v), (i, k));
            }
        }
        return new Summary(q, j, pair, best, Math.Max(0.0, 0.5 * (sumLogVar - logDet)));
    }

    /// <summary>The weighted mean and covariance (divided by the total weight) of the rows.</summary>
    private static (double[] Means, double[,] Covariance) WeightedMoments(SampleMatrix<double> data, int[] weights)
    {
        int m = data.Columns;
        var mean = new double[m];
        double total = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            if (weights[r] == 0) continue;
            TensorPrimitives.MultiplyAdd(data.Row(r), (double)weights[r], mean, mean);
            total += weights[r];
        }
        TensorPrimitives.Divide(mean, total, mean);
        var acc = new double[m * m];
        var d = new double[m];
        for (int r = 0; r < data.Rows; r++)
        {
            if (weights[r] == 0) continue;
            TensorPrimitives.Subtract(data.Row(r), mean, d);
            for (int i = 0; i < m; i++)
            {
                var target = acc.AsSpan(i * m + i, m - i);
                TensorPrimitives.MultiplyAdd(d.AsSpan(i), d[i] * weights[r], target, target);
            }
        }
        var cov = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int k = i; k < m; k++) cov[i, k] = cov[k, i] = acc[i * m + k] / total;
        return (mean, cov);
    }
}
