using RgLens.Comparison;

namespace RgLens.Claims;

/// <summary>How a test's estimate is judged against its target.</summary>
public enum TestKind
{
    /// <summary>Equivalence: holds when the interval lies inside target ± δ, fails when it lies outside.</summary>
    Equivalence,

    /// <summary>Decrease: holds when the interval lies below the target (a negative threshold), fails when it lies above.</summary>
    Below,
}

/// <summary>One prepared comparison of a claim (one measurement, one target).</summary>
/// <param name="Label">What is compared, e.g. "K of layer 2 (b=16) vs R_2^2(θ0)".</param>
/// <param name="Quantity">The measured quantity's name (K, h, rho, slope).</param>
/// <param name="Compression">The pyramid's compression b.</param>
/// <param name="Layer">The layer (the feature layer for feature claims).</param>
/// <param name="Combined">The measurement combined over seeds.</param>
/// <param name="Target">The RG target (or the threshold of a <see cref="TestKind.Below"/> test).</param>
/// <param name="Kind">How it is judged.</param>
/// <param name="Margin">δ (for <see cref="TestKind.Equivalence"/>).</param>
/// <param name="HoldsBlockedBecause">Why this comparison may not support "holds" (too few seeds, failed fits, a misspecified reading), or null.</param>
/// <param name="TargetStandardError">The target's own standard error (θ0 fitted to data; 0 for a given θ0): added in quadrature to the estimate's in the tests.</param>
public sealed record ClaimTest(
    string Label,
    string Quantity,
    int Compression,
    int Layer,
    SeedCombination Combined,
    double Target,
    TestKind Kind,
    double Margin,
    string? HoldsBlockedBecause,
    double TargetStandardError = 0)
{
    /// <summary>The standard error the tests use: the estimate's and the target's in quadrature.</summary>
    public double TestStandardError => Math.Sqrt(Combined.StandardError * Combined.StandardError + TargetStandardError * TargetStandardError);

    /// <summary>
    /// The interval the tests judge: the estimate ± the combined interval's own multiplier (t or z)
    /// × <see cref="TestStandardError"/>. It is the combined interval itself when the target is exact,
    /// and wider when the target carries θ0's uncertainty, so that the printed interval and the
    /// verdict of a single comparison agree (docs/theory-choices.md, "Verdicts").
    /// </summary>
    public (double Lower, double Upper) TestInterval
    {
        get
        {
            if (TargetStandardError == 0) return (Combined.Lower, Combined.Upper);
            double se = Combined.StandardError;
            if (!(se > 0) || !double.IsFinite(se)) return (double.NaN, double.NaN);
            double multiplier = (Combined.Upper - Combined.Lower) / (2 * se);
            return (Combined.Estimate - multiplier * TestStandardError, Combined.Estimate + multiplier * TestStandardError);
        }
    }

    /// <summary>The p-values (p of "holds" is the equivalence p for an equivalence test).</summary>
    public EquivalencePValues PValues() => Kind == TestKind.Equivalence
        ? EquivalenceTest.Of(Combined.Estimate, TestStandardError, Combined.DegreesOfFreedom, Target, Margin)
        : ThresholdTest.Below(Combined.Estimate, TestStandardError, Combined.DegreesOfFreedom, Target);
}
