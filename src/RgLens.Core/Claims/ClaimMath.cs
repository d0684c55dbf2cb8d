using RgLens.Comparison;
using RgLens.Estimation;
using RgLens.Probes;

namespace RgLens.Claims;

/// <summary>What the claims share: combining a quantity over seeds and the guards on "holds".</summary>
internal static class ClaimMath
{
    /// <summary>A per-seed quantity combined by random effects; an absent measurement counts as a failed fit.</summary>
    public static SeedCombination Combine(ClaimContext context, IReadOnlyList<ReadingMeasurement?> perSeed, Func<ReadingMeasurement, ParameterEstimate?> select)
        => RandomEffects.Combine(perSeed.Select(m => m is null ? null : select(m)).ToArray(), context.ConfidenceLevel);

    /// <summary>A test of the coupling (K or ρ) of one layer against a target.</summary>
    public static ClaimTest CouplingTest(ClaimContext context, string condition, Nn.Objective objective, IReading reading, int compression, int layer, double target, string against, double targetSe = 0)
    {
        var perSeed = context.PerSeed(condition, objective, reading.Id, compression, layer);
        var combined = Combine(context, perSeed, m => m.Coupling);
        string q = reading.IsingScale ? "K" : "rho";
        return new ClaimTest($"{q} of layer {layer} (b={compression}) vs {against}", q, compression, layer, combined, target,
            TestKind.Equivalence, context.Margin, combined.HoldsBlockedBecause, double.IsFinite(targetSe) ? targetSe : 0);
    }

    /// <summary>"R_2^l(θ0)" and friends.</summary>
    public static string Rg(int l) => l == 1 ? "R_2(θ0)" : $"R_2^{l}(θ0)";

    public static string F(double v) => double.IsFinite(v) ? v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
