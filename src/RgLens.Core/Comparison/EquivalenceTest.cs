using MathNet.Numerics.Distributions;

namespace RgLens.Comparison;

/// <summary>The two p-values of an equivalence comparison (<see cref="EquivalenceTest.Of"/>).</summary>
/// <param name="Equivalence">p of "|θ − target| ≥ δ" (two one-sided tests): small means θ lies within the margin.</param>
/// <param name="Difference">p of "|θ − target| ≤ δ" (minimal-effect test): small means θ lies outside the margin.</param>
public sealed record EquivalencePValues(double Equivalence, double Difference);

/// <summary>
/// Equivalence against a target with a margin δ, for an estimate with standard error SE and a t
/// reference with ν degrees of freedom (ν = ∞: normal). Two one-sided tests (TOST): p_lo of
/// H0 θ ≤ target − δ and p_hi of H0 θ ≥ target + δ; the minimal-effect tests are their mirror images.
/// Both p-values are doubled (capped at 1) so that, for a single comparison at level α = 1 −
/// confidence, p_eq &lt; α exactly when the (1 − α) confidence interval lies inside target ± δ, and
/// p_diff &lt; α exactly when it lies wholly outside: the verdict and the printed interval never
/// disagree. This makes each one-sided test run at α/2, a conservative TOST.
/// </summary>
public static class EquivalenceTest
{
    /// <summary>The p-values; NaN when the estimate or its standard error is not finite.</summary>
    public static EquivalencePValues Of(double estimate, double standardError, double degreesOfFreedom, double target, double margin)
    {
        if (!(margin > 0)) throw new ArgumentException($"the margin must be > 0; got {margin}.");
        if (!double.IsFinite(estimate) || !double.IsFinite(standardError) || !double.IsFinite(target) || standardError < 0 || double.IsNaN(degreesOfFreedom))
            return new EquivalencePValues(double.NaN, double.NaN);
        double lo = target - margin, hi = target + margin;
        // One-sided upper-tail probabilities of the standardized distances.
        double pAboveLo = Upper((estimate - lo) / standardError, degreesOfFreedom, estimate - lo); // H0: θ ≤ lo
        double pBelowHi = Upper((hi - estimate) / standardError, degreesOfFreedom, hi - estimate); // H0: θ ≥ hi
        double pAboveHi = Upper((estimate - hi) / standardError, degreesOfFreedom, estimate - hi); // H0: θ ≤ hi
        double pBelowLo = Upper((lo - estimate) / standardError, degreesOfFreedom, lo - estimate); // H0: θ ≥ lo
        double eq = Math.Min(1, 2 * Math.Max(pAboveLo, pBelowHi));
        double diff = Math.Min(1, 2 * Math.Min(pAboveHi, pBelowLo));
        return new EquivalencePValues(eq, diff);
    }

    /// <summary>P(T &gt; z); a zero standard error decides by the sign of the raw distance.</summary>
    private static double Upper(double z, double df, double raw)
    {
        if (double.IsNaN(z)) return raw > 0 ? 0 : 1;
        if (double.IsPositiveInfinity(z)) return 0;
        if (double.IsNegativeInfinity(z)) return 1;
        return double.IsPositiveInfinity(df) ? 1 - Normal.CDF(0, 1, z) : 1 - StudentT.CDF(0, 1, df, z);
    }
}

/// <summary>
/// A one-sided comparison with a threshold: is θ below it? Doubled p-values as in
/// <see cref="EquivalenceTest"/>, so that for one comparison p_below &lt; α exactly when the (1 − α)
/// interval lies wholly below the threshold, and p_above &lt; α when it lies wholly above.
/// </summary>
public static class ThresholdTest
{
    /// <summary>(p of "θ ≥ threshold", p of "θ ≤ threshold"); NaN when not finite.</summary>
    public static EquivalencePValues Below(double estimate, double standardError, double degreesOfFreedom, double threshold)
    {
        if (!double.IsFinite(estimate) || !double.IsFinite(standardError) || standardError < 0 || double.IsNaN(degreesOfFreedom))
            return new EquivalencePValues(double.NaN, double.NaN);
        double Upper(double raw)
        {
            if (standardError == 0) return raw > 0 ? 0 : 1;
            double z = raw / standardError;
            return double.IsPositiveInfinity(degreesOfFreedom) ? 1 - Normal.CDF(0, 1, z) : 1 - StudentT.CDF(0, 1, degreesOfFreedom, z);
        }
        return new EquivalencePValues(Math.Min(1, 2 * Upper(threshold - estimate)), Math.Min(1, 2 * Upper(estimate - threshold)));
    }
}
