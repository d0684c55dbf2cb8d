using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Claims;

/// <summary>
/// The feature layer of the deepest pyramid has no nearest-neighbour coupling: the stable fixed
/// point of a 1-D chain's RG is K* = 0 (independent sites). Binary readings compare the coupling K
/// of the Ising chain with per-unit fields; the continuous reading its copula correlation ρ (both 0
/// for independent units), so this claim applies to every input family and reading.
/// </summary>
public sealed class FixedPointCouplingClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "fixed_point_coupling";

    /// <inheritdoc/>
    public string Title => "feature coupling = K* = 0";

    /// <inheritdoc/>
    public string? NotApplicable(ClaimContext context, IReading reading, string condition) => null;

    /// <inheritdoc/>
    public string Statement(ClaimContext context, IReading reading) =>
        $"The feature layer (b={context.DeepestCompression}) carries no nearest-neighbour coupling: {(reading.IsingScale ? "K" : "ρ")} = 0, the fixed point's.";

    /// <inheritdoc/>
    public IReadOnlyList<ClaimTest> Tests(ClaimContext context, string condition, Objective objective, IReading reading) =>
        [ClaimMath.CouplingTest(context, condition, objective, reading, context.DeepestCompression, context.Depth, 0, "θ* (K* = 0)")];
}
