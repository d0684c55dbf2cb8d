using RgLens.Data;
using RgLens.Estimation;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Renormalization;
using RgLens.Results;

namespace RgLens.Experiments;

/// <summary>A chain model's prediction of a correlation against the data's.</summary>
/// <param name="Distance">r: sites apart.</param>
/// <param name="Measured">The data's connected correlation ⟨x_i x_{i+r}⟩ − ⟨x⟩², averaged over sites.</param>
/// <param name="StandardError">Its standard error (bootstrap over samples).</param>
/// <param name="Predicted">The fitted chain's, on the data's N sites and boundary, over the same pairs.</param>
public sealed record CorrelationCheck(int Distance, double Measured, double StandardError, double Predicted)
{
    /// <summary>(measured − predicted) / SE.</summary>
    public double Z => (Measured - Predicted) / StandardError;
}

/// <summary>
/// θ0 fitted to the user's configurations (<c>correspond --data</c>): the maximum-likelihood
/// chain of the chosen family with its bootstrap intervals, and a goodness-of-fit of the
/// nearest-neighbour chain: the correlations at distances 1–4 that it predicts against those
/// measured. A nearest-neighbour chain fixes the correlation at distance r ≥ 2 by the one at
/// distance 1; data whose longer-range correlations differ by more than 4 standard errors are not
/// such a chain, and the warning says so (the RG targets then describe the fitted chain, not the data).
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Fit">The fit of θ0.</param>
/// <param name="Correlations">Predicted against measured, r = 1 … 4.</param>
/// <param name="Warnings">The fit's and the goodness-of-fit's warnings.</param>
public sealed record UserDataFit(string Path, ChainFit Fit, IReadOnlyList<CorrelationCheck> Correlations, IReadOnlyList<string> Warnings)
{
    /// <summary>Fits <paramref name="data"/>.</summary>
    /// <exception cref="DataFormatException">Data the family cannot describe (one line).</exception>
    public static UserDataFit Of(string path, SampleMatrix<double> data, ChainFamily family, Boundary boundary, int replicates, ulong seed)
    {
        ChainEstimator.RequireChainData(family, data);
        var fit = ChainEstimator.Fit(family, data, boundary, EstimationMethod.MaximumLikelihood,
            new FitOptions { Replicates = Math.Max(replicates, 20), Seed = RandomStream.Derive(seed, "theta0-fit"), Threads = 1 });
        if (fit.Estimates.Any(e => !double.IsFinite(e.Estimate)))
            throw new DataFormatException($"'{path}': the {family.Name} chain's maximum-likelihood θ0 does not exist for these data ({string.Join("; ", fit.Warnings)}).");
        var theta = family.Create(fit.Estimates.Select(e => e.Estimate).ToArray());
        var checks = new List<CorrelationCheck>();
        var warnings = new List<string>(fit.Warnings);
        int maxR = Math.Min(4, data.Columns / 2);
        // The prediction is the fitted chain's on the data's own ring or open chain of N sites,
        // averaged over the same pairs as the measurement: the infinite chain's differs by
        // t^(N−r) terms on a short ring, which alone read as 7–10 standard errors on 20,000
        // exact samples of a 16-site ring.
        var model = new ChainModel(theta, data.Columns, boundary);
        double meanSite = boundary == Boundary.Periodic
            ? ExactSolver.SiteMean(model, 1)
            : Enumerable.Range(1, data.Columns).Average(i => ExactSolver.SiteMean(model, i));
        for (int r = 1; r <= maxR; r++)
        {
            var (measured, se) = MeasuredCorrelation(data, r, boundary, seed);
            double product = boundary == Boundary.Periodic
                ? ExactSolver.Correlation(model, 1, 1 + r)
                : Enumerable.Range(1, data.Columns - r).Average(i => ExactSolver.Correlation(model, i, i + r));
            checks.Add(new CorrelationCheck(r, measured, se, product - meanSite * meanSite));
        }
        var off = checks.Where(c => c.Distance >= 2 && Math.Abs(c.Z) > 4).ToArray();
        if (off.Length > 0)
            warnings.Add($"the data are not a nearest-neighbour {family.Name} chain: the correlation at distance {string.Join(", ", off.Select(c => $"{c.Distance} is {c.Measured:G3} against the fitted chain's {c.Predicted:G3} ({c.Z:F1} standard errors)"))}.");
        return new UserDataFit(path, fit, checks, warnings);
    }

    /// <summary>
    /// The RG targets' standard errors from draws of θ0 ~ N(θ̂, Σ), Σ the fit's bootstrap covariance
    /// (the parameters' correlation included: drawn independently, h* of the Ising chain came out
    /// 1.5–1.7× too uncertain); the standard errors alone (independent draws) only where the fit
    /// has no covariance or it is not positive definite.
    /// </summary>
    public RgUncertainty TargetUncertainty(IReadOnlyList<int> compressions, int depth, ulong seed)
    {
        var family = Fit.Family;
        int draws = family.Name == IsingFamily.Instance.Name ? 200 : 40;
        var rng = RandomStream.For(seed, "theta0-draws");
        var center = Fit.Estimates.Select(e => e.Estimate).ToArray();
        var factor = CovarianceFactor(Fit, center.Length);
        var names = family.Parameters.Select(p => p.Name).ToArray();
        var star = names.ToDictionary(n => n, _ => new List<double>());
        var byB = compressions.Distinct().ToDictionary(b => b, _ => new List<double>());
        var byL = Enumerable.Range(1, depth).ToDictionary(l => l, _ => new List<double>());
        for (int d = 0; d < draws; d++)
        {
            var z = new double[center.Length];
            for (int i = 0; i < z.Length; i++) z[i] = rng.NextGaussian();
            var values = new double[center.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = center[i];
                for (int j = 0; j <= i; j++) values[i] += factor[i * center.Length + j] * z[j];
            }
            var theta = family.TryCreate(values);
            if (theta is null) continue;
            var flow = RgFlow.Run(theta, 2, depth);
            for (int i = 0; i < names.Length; i++) star[names[i]].Add(flow.FixedPoint.Values[i]);
            for (int l = 1; l <= depth; l++) byL[l].Add(flow.Steps[l].Parameters["K"]);
            foreach (int b in byB.Keys) byB[b].Add(RgFlow.Decimate(theta, b)["K"]);
        }
        return new RgUncertainty(draws, star.ToDictionary(p => p.Key, p => Bootstrap.StandardDeviation(p.Value)),
            byB.ToDictionary(p => p.Key, p => Bootstrap.StandardDeviation(p.Value)), byL.ToDictionary(p => p.Key, p => Bootstrap.StandardDeviation(p.Value)));
    }

    /// <summary>The lower Cholesky factor of the fit's covariance (p × p row-major; only the lower triangle is read); the diagonal of standard errors where there is none or it is not positive definite.</summary>
    private static double[] CovarianceFactor(ChainFit fit, int p)
    {
        var l = new double[p * p];
        if (fit.Covariance is { } c && c.GetLength(0) == p)
        {
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++) l[i * p + j] = c[i, j];
            if (Cholesky.Factor(l, p)) return l;
            Array.Clear(l);
        }
        for (int i = 0; i < p; i++)
            l[i * p + i] = double.IsFinite(fit.Estimates[i].StandardError) ? fit.Estimates[i].StandardError : 0;
        return l;
    }

    private static (double Value, double Se) MeasuredCorrelation(SampleMatrix<double> x, int r, Boundary boundary, ulong seed)
    {
        int n = x.Rows, m = x.Columns;
        int pairs = boundary == Boundary.Periodic ? m : m - r;
        var rowProduct = new double[n];
        var rowMean = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            double p = 0, s = 0;
            for (int j = 0; j < pairs; j++) p += row[j] * row[(j + r) % m];
            for (int j = 0; j < m; j++) s += row[j];
            rowProduct[i] = p / pairs;
            rowMean[i] = s / m;
        }
        double Stat(Func<int, int> pick)
        {
            double p = 0, s = 0;
            for (int i = 0; i < n; i++) { int k = pick(i); p += rowProduct[k]; s += rowMean[k]; }
            return p / n - (s / n) * (s / n);
        }
        double value = Stat(i => i);
        var rng = RandomStream.For(seed, "correlation-check", r);
        var reps = new double[100];
        for (int b = 0; b < reps.Length; b++) reps[b] = Stat(_ => rng.NextInt(n));
        return (value, Bootstrap.StandardDeviation(reps));
    }
}
