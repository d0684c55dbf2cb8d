using MathNet.Numerics.Distributions;
using RgLens.Estimation;

namespace RgLens.Comparison;

/// <summary>
/// Combines one parameter's estimates from networks trained with different seeds (theory.md §4:
/// "CIs over samples and seeds"). Each seed's estimate already carries its own sampling noise (fresh
/// probe samples), so the spread across seeds holds both sources: the interval is the Student t
/// interval mean ± t_{S−1} · sd / √S over the S seeds. With one seed it is that seed's bootstrap interval.
/// </summary>
public static class SeedAggregation
{
    /// <summary>The combined estimate of <paramref name="perSeed"/> at the given confidence.</summary>
    public static ParameterEstimate Combine(IReadOnlyList<ParameterEstimate> perSeed, double confidenceLevel)
    {
        if (perSeed.Count == 0) throw new ArgumentException("no estimates to combine.", nameof(perSeed));
        if (perSeed.Count == 1) return perSeed[0];
        var values = perSeed.Select(e => e.Estimate).ToArray();
        string name = perSeed[0].Name;
        if (values.Any(v => !double.IsFinite(v)))
            return new ParameterEstimate(name, values.Average(), double.NegativeInfinity, double.PositiveInfinity, double.NaN);
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        double se = sd / Math.Sqrt(values.Length);
        double t = StudentT.InvCDF(0, 1, values.Length - 1, 0.5 + confidenceLevel / 2);
        return new ParameterEstimate(name, mean, mean - t * se, mean + t * se, se);
    }
}
