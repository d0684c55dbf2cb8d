using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Claims;

/// <summary>
/// The layers of the deepest pyramid follow the RG trajectory: layer l reads K of R_2^l(θ0), for
/// l = 1 … d − 1 (the feature layer l = d is the finite-scale claim's comparison at the largest b,
/// so it is not counted twice). Binary readings of an Ising input only.
/// </summary>
public sealed class LayerFlowClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "layer_flow";

    /// <inheritdoc/>
    public string Title => "layer l K = K of R_2^l(θ0)";

    /// <inheritdoc/>
    public string? NotApplicable(ClaimContext context, IReading reading, string condition) =>
        !context.OnInputScale(reading) ? "the reading's coupling is not on the input family's scale"
        : context.Depth < 2 ? "the deepest pyramid has a single layer (its feature layer is the finite-scale claim's)"
        : null;

    /// <inheritdoc/>
    public string Statement(ClaimContext context, IReading reading) =>
        $"Layer l of the deepest pyramid reads the RG trajectory: K_l = K of R_2^l(θ0) (" +
        string.Join(", ", Enumerable.Range(1, context.Depth - 1).Select(l => $"{ClaimMath.F(context.Rg.Layer(l)["K"])} at l={l}")) + ").";

    /// <inheritdoc/>
    public IReadOnlyList<ClaimTest> Tests(ClaimContext context, string condition, Objective objective, IReading reading) =>
        Enumerable.Range(1, context.Depth - 1).Select(l =>
            ClaimMath.CouplingTest(context, condition, objective, reading, context.DeepestCompression, l, context.Rg.Layer(l)["K"], ClaimMath.Rg(l), context.TargetUncertainty?.CouplingByLayer.GetValueOrDefault(l) ?? 0)).ToArray();
}
