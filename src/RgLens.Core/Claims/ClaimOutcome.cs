using RgLens.Nn;

namespace RgLens.Claims;

/// <summary>One comparison's outcome.</summary>
/// <param name="Test">The comparison.</param>
/// <param name="PEquivalence">p of the equivalence (or "below") test, unadjusted.</param>
/// <param name="PDifference">p of the difference (or "above") test, unadjusted.</param>
/// <param name="PEquivalenceHolm">Holm-adjusted over the run's trained comparisons (equal to the raw p for controls).</param>
/// <param name="PDifferenceHolm">Likewise for the difference test.</param>
/// <param name="Verdict">holds, fails or inconclusive.</param>
public sealed record TestOutcome(ClaimTest Test, double PEquivalence, double PDifference, double PEquivalenceHolm, double PDifferenceHolm, string Verdict);

/// <summary>A claim's outcome in one condition.</summary>
/// <param name="Condition">"trained" or a control id.</param>
/// <param name="Verdict">holds, fails, inconclusive or not_applicable.</param>
/// <param name="Tests">Every comparison.</param>
/// <param name="NotApplicableBecause">Why not applicable, or null.</param>
public sealed record ConditionOutcome(string Condition, string Verdict, IReadOnlyList<TestOutcome> Tests, string? NotApplicableBecause)
{
    /// <summary>
    /// The comparison that decides the verdict: for "fails" the clearest failure, otherwise the
    /// least certain equivalence (the one a "holds" hinges on).
    /// </summary>
    public TestOutcome? Deciding => Tests.Count == 0 ? null
        : Verdict == Verdicts.Fails ? Tests.Where(t => t.Verdict == Verdicts.Fails).OrderBy(t => t.PDifferenceHolm).First()
        : Tests.OrderByDescending(t => double.IsNaN(t.PEquivalenceHolm) ? 2 : t.PEquivalenceHolm).First();
}

/// <summary>One claim for one objective and reading: the verdict and the evidence.</summary>
/// <param name="Claim">The claim's id.</param>
/// <param name="Title">A few words.</param>
/// <param name="Objective">The objective.</param>
/// <param name="Reading">The reading.</param>
/// <param name="Primary">Whether this is the run's pre-declared primary objective and reading (the headline).</param>
/// <param name="Statement">The claim as a sentence.</param>
/// <param name="Verdict">holds, fails, inconclusive, indistinguishable_from_control or not_applicable.</param>
/// <param name="Trained">The trained networks' outcome.</param>
/// <param name="Controls">Each control's outcome (same comparisons, unadjusted).</param>
/// <param name="Sentence">One sentence for the reader.</param>
/// <param name="Networks">Trained networks behind the claim.</param>
/// <param name="Converged">How many of them stopped early (converged) rather than at the epoch cap.</param>
public sealed record ClaimOutcome(
    string Claim,
    string Title,
    Objective Objective,
    string Reading,
    bool Primary,
    string Statement,
    string Verdict,
    ConditionOutcome Trained,
    IReadOnlyList<ConditionOutcome> Controls,
    string Sentence,
    int Networks,
    int Converged)
{
    /// <summary>Failed fits (non-finite per-seed estimates) over the trained comparisons.</summary>
    public int FailedFits => Trained.Tests.Sum(t => t.Test.Combined.FailedFits);

    /// <summary>Seeds entering the deciding comparison.</summary>
    public int Seeds => Trained.Deciding?.Test.Combined.Seeds ?? 0;

    /// <summary>The control with this id, or null.</summary>
    public ConditionOutcome? Control(string id) => Controls.FirstOrDefault(c => c.Condition == id);
}
