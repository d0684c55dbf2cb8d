using MathNet.Numerics.Distributions;

namespace RgLens.Comparison;

/// <summary>
/// Combines one quantity over independently initialized networks. Each seed s gives an estimate
/// y_s with a within-network standard error v_s^{1/2} (bootstrap over probe samples); seeds also
/// differ by their initialization, a variance τ² between seeds. The random-effects model
/// y_s ~ N(μ, v_s + τ²) is fitted with the DerSimonian–Laird τ², and μ's interval uses the
/// Hartung–Knapp–Sidik–Jonkman standard error, floored at the fixed-effect one (the "modified"
/// HKSJ, which never reports less uncertainty than the within-network errors alone), with a
/// t_{S−1} reference: with three seeds that is t_2 (quantile 4.30 at 95 %), the honest price of
/// estimating the initialization variance from three draws. A single seed gives only its own
/// interval (normal reference), flagged as unable to support equivalence. Non-finite estimates
/// are failed fits: excluded from the mean and counted.
/// </summary>
public static class RandomEffects
{
    /// <summary>Combines one estimate per seed; a missing (null) estimate counts as a failed fit.</summary>
    public static SeedCombination Combine(IReadOnlyList<Estimation.ParameterEstimate?> perSeed, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(perSeed);
        return Combine(perSeed.Select(e => e?.Estimate ?? double.NaN).ToArray(), perSeed.Select(e => e?.StandardError ?? double.NaN).ToArray(), confidenceLevel);
    }

    /// <summary>Combines per-seed estimates with their within-network standard errors (NaN or 0 when unknown).</summary>
    public static SeedCombination Combine(IReadOnlyList<double> estimates, IReadOnlyList<double> standardErrors, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(standardErrors);
        if (estimates.Count != standardErrors.Count) throw new ArgumentException("one standard error per estimate is needed.");
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new ArgumentException($"the confidence level must lie in (0, 1); got {confidenceLevel}.");
        var y = new List<double>();
        var v = new List<double>();
        for (int i = 0; i < estimates.Count; i++)
        {
            if (!double.IsFinite(estimates[i])) continue;
            double se = standardErrors[i];
            y.Add(estimates[i]);
            v.Add(double.IsFinite(se) && se > 0 ? se * se : 0);
        }
        int s = y.Count, failed = estimates.Count - s;
        var per = estimates.ToArray();
        if (s == 0) return new SeedCombination(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, failed, per);
        if (s == 1)
        {
            double se = Math.Sqrt(v[0]);
            double z = Normal.InvCDF(0, 1, 0.5 + confidenceLevel / 2);
            return new SeedCombination(y[0], se, y[0] - z * se, y[0] + z * se, double.PositiveInfinity, double.NaN, 1, failed, per);
        }

        // DerSimonian–Laird. Seeds with no within-network error (point estimates) make the
        // fixed-effect weights infinite; they are then combined as plain replicates (v = 0, τ² from the spread).
        bool anyZero = v.Any(x => x == 0);
        double tau2;
        if (anyZero)
        {
            double m = y.Average();
            tau2 = y.Sum(x => (x - m) * (x - m)) / (s - 1);
            double vbar = v.Average();
            tau2 = Math.Max(0, tau2 - vbar);
        }
        else
        {
            var w = v.Select(x => 1 / x).ToArray();
            double sw = w.Sum(), sw2 = w.Sum(x => x * x);
            double fe = Enumerable.Range(0, s).Sum(i => w[i] * y[i]) / sw;
            double q = Enumerable.Range(0, s).Sum(i => w[i] * (y[i] - fe) * (y[i] - fe));
            tau2 = Math.Max(0, (q - (s - 1)) / (sw - sw2 / sw));
        }
        var ws = v.Select(x => x + tau2 > 0 ? 1 / (x + tau2) : double.NaN).ToArray();
        double mean, seHksj, seFe;
        if (ws.Any(double.IsNaN))
        {
            // Every seed gave the same point value with no within-network error: no spread at all.
            mean = y.Average();
            seHksj = Math.Sqrt(y.Sum(x => (x - mean) * (x - mean)) / (s * (s - 1.0)));
            seFe = 0;
        }
        else
        {
            double sws = ws.Sum();
            mean = Enumerable.Range(0, s).Sum(i => ws[i] * y[i]) / sws;
            seHksj = Math.Sqrt(Enumerable.Range(0, s).Sum(i => ws[i] * (y[i] - mean) * (y[i] - mean)) / ((s - 1) * sws));
            seFe = Math.Sqrt(1 / sws);
        }
        double seMax = Math.Max(seHksj, seFe);
        double t = StudentT.InvCDF(0, 1, s - 1, 0.5 + confidenceLevel / 2);
        return new SeedCombination(mean, seMax, mean - t * seMax, mean + t * seMax, s - 1, tau2, s, failed, per);
    }
}
