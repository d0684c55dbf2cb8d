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
/// <param name="Predicted">The fitted infinite chain's.</param>
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
        for (int r = 1; r <= maxR; r++)
        {
            var (measured, se) = MeasuredCorrelation(data, r, boundary, seed);
            double mean = ExactSolver.SolveInfinite(theta).Mean;
            double predicted = ExactSolver.InfiniteCorrelation(theta, r) - mean * mean;
            checks.Add(new CorrelationCheck(r, measured, se, predicted));
        }
        var off = checks.Where(c => c.Distance >= 2 && Math.Abs(c.Z) > 4).ToArray();
        if (off.Length > 0)
            warnings.Add($"the data are not a nearest-neighbour {family.Name} chain: the correlation at distance {string.Join(", ", off.Select(c => $"{c.Distance} is {c.Measured:G3} against the fitted chain's {c.Predicted:G3} ({c.Z:F1} standard errors)"))}.");
        return new UserDataFit(path, fit, checks, warnings);
    }

    /// <summary>The RG targets' standard errors from draws of θ0 ~ N(θ̂, SE²) (independent parameters).</summary>
    public RgUncertainty TargetUncertainty(IReadOnlyList<int> compressions, int depth, ulong seed)
    {
        var family = Fit.Family;
        int draws = family.Name == IsingFamily.Instance.Name ? 200 : 40;
        var rng = RandomStream.For(seed, "theta0-draws");
        var names = family.Parameters.Select(p => p.Name).ToArray();
        var star = names.ToDictionary(n => n, _ => new List<double>());
        var byB = compressions.Distinct().ToDictionary(b => b, _ => new List<double>());
        var byL = Enumerable.Range(1, depth).ToDictionary(l => l, _ => new List<double>());
        for (int d = 0; d < draws; d++)
        {
            var values = Fit.Estimates.Select(e => e.Estimate + (double.IsFinite(e.StandardError) ? e.StandardError : 0) * rng.NextGaussian()).ToArray();
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
