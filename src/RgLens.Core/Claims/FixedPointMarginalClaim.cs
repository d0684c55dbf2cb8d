using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Claims;

/// <summary>
/// The feature layer's single-site marginal is the fixed point's: h = h*(θ0) for spin inputs read
/// as spins. The field is that of the homogeneous Ising chain; when the likelihood-ratio test
/// rejects one common field (at level α, in any seed), the homogeneous h is a misspecified summary
/// and the claim may not "hold" (it can still fail). Other input families have no reading on
/// their natural parameters' scale, so the claim is not applicable there.
/// </summary>
public sealed class FixedPointMarginalClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "fixed_point_marginal";

    /// <inheritdoc/>
    public string Title => "feature field = h*";

    /// <inheritdoc/>
    public string? NotApplicable(ClaimContext context, IReading reading, string condition) =>
        context.OnInputScale(reading) ? null
        : !context.IsingInput ? $"no reading measures the {context.Theta0.Family.Name} family's natural parameters (the binary readings are Ising spins)"
        : $"the {reading.Id} reading is not on the spins' scale";

    /// <inheritdoc/>
    public string Statement(ClaimContext context, IReading reading) =>
        $"The feature layer's field equals the fixed point's: h = h* = {ClaimMath.F(context.FixedPoint("h"))}.";

    /// <inheritdoc/>
    public IReadOnlyList<ClaimTest> Tests(ClaimContext context, string condition, Objective objective, IReading reading)
    {
        var perSeed = context.PerSeed(condition, objective, reading.Id, context.DeepestCompression, context.Depth);
        var combined = ClaimMath.Combine(context, perSeed, m => m.Field);
        int rejected = perSeed.Count(m => m?.HomogeneityP is double p && p < context.Alpha);
        string? blocked = combined.HoldsBlockedBecause
            ?? (rejected > 0 ? $"one common field is rejected against per-unit fields (likelihood-ratio p < {ClaimMath.F(context.Alpha)}) in {rejected} of {perSeed.Count} seed(s): the homogeneous h is misspecified" : null);
        return [new ClaimTest($"h of layer {context.Depth} (b={context.DeepestCompression}) vs θ*", "h", context.DeepestCompression, context.Depth,
            combined, context.FixedPoint("h"), TestKind.Equivalence, context.Margin, blocked, context.TargetUncertainty?.FixedPoint.GetValueOrDefault("h") ?? 0)];
    }
}
