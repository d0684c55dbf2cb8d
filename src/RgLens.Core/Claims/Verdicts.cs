namespace RgLens.Claims;

/// <summary>The verdicts a claim or comparison can receive.</summary>
public static class Verdicts
{
    /// <summary>Equivalence shown: the interval lies inside target ± δ (after Holm's adjustment for the trained networks).</summary>
    public const string Holds = "holds";

    /// <summary>The interval lies outside target ± δ.</summary>
    public const string Fails = "fails";

    /// <summary>Neither.</summary>
    public const string Inconclusive = "inconclusive";

    /// <summary>Holds for the trained networks and also for a control: no evidence that training on the input did it.</summary>
    public const string IndistinguishableFromControl = "indistinguishable_from_control";

    /// <summary>The claim cannot be tested in this reading or condition.</summary>
    public const string NotApplicable = "not_applicable";
}
