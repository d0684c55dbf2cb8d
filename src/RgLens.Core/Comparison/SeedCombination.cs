namespace RgLens.Comparison;

/// <summary>
/// One quantity combined over the networks of several seeds (<see cref="RandomEffects"/>).
/// </summary>
/// <param name="Estimate">The random-effects mean over the seeds with a finite estimate (NaN when none).</param>
/// <param name="StandardError">Its standard error (between-seed and within-network variance together).</param>
/// <param name="Lower">Lower end of the confidence interval.</param>
/// <param name="Upper">Upper end of the confidence interval.</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of the t reference (S − 1); +∞ when the interval rests on a single seed's within-network error.</param>
/// <param name="BetweenSeedVariance">The DerSimonian–Laird estimate τ² of the variance between seeds.</param>
/// <param name="Seeds">Seeds that entered (finite estimate).</param>
/// <param name="FailedFits">Seeds whose estimate or standard error was not finite: excluded, counted, and never part of a "holds".</param>
/// <param name="PerSeed">The per-seed estimates as given (failed ones included).</param>
public sealed record SeedCombination(
    double Estimate,
    double StandardError,
    double Lower,
    double Upper,
    double DegreesOfFreedom,
    double BetweenSeedVariance,
    int Seeds,
    int FailedFits,
    IReadOnlyList<double> PerSeed)
{
    /// <summary>Whether the interval includes the variance between seeds (at least two finite seeds).</summary>
    public bool HasBetweenSeedEstimate => Seeds >= 2;

    /// <summary>Why this combination may not support an equivalence ("holds"), or null when it may.</summary>
    public string? HoldsBlockedBecause => FailedFits > 0
        ? $"{FailedFits} of {Seeds + FailedFits} seed(s) gave no finite estimate"
        : Seeds < 2 ? "a single seed cannot estimate the variance between initializations" : null;
}
