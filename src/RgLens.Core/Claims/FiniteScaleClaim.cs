using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Claims;

/// <summary>
/// At finite compression the feature layer reads the RG point at the same scale: the coupling K of
/// the feature layer of the pyramid with compression b equals K of R_b(θ0), for every b of the run
/// (one comparison per b; the claim holds only when every b holds). Binary readings of an Ising
/// input only: other pairs of reading and family have no common scale for K.
/// </summary>
public sealed class FiniteScaleClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "finite_scale";

    /// <inheritdoc/>
    public string Title => "feature K(b) = K of R_b(θ0)";

    /// <inheritdoc/>
    public string? NotApplicable(ClaimContext context, IReading reading, string condition) =>
        context.OnInputScale(reading) ? null : "the reading's coupling is not on the input family's scale";

    /// <inheritdoc/>
    public string Statement(ClaimContext context, IReading reading) =>
        $"At each compression b = {string.Join(", ", context.Compressions.Order())}, the feature layer's K equals that of R_b(θ0) (" +
        string.Join(", ", context.Compressions.Order().Select(b => $"{ClaimMath.F(context.Rg.ByCompression[b]["K"])} at b={b}")) + ").";

    /// <inheritdoc/>
    public IReadOnlyList<ClaimTest> Tests(ClaimContext context, string condition, Objective objective, IReading reading) =>
        context.Compressions.Distinct().Order().Select(b =>
            ClaimMath.CouplingTest(context, condition, objective, reading, b, System.Numerics.BitOperations.Log2((uint)b),
                context.Rg.ByCompression[b]["K"], $"R_{b}(θ0)", context.TargetUncertainty?.CouplingByCompression.GetValueOrDefault(b) ?? 0)).ToArray();
}
