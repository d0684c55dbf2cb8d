using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>
/// An RG flow θ0 → R_b(θ0) → R_b²(θ0) → … (docs/theory.md, "Decimation and its fixed points") with the stable fixed point θ*(θ0) it
/// converges to, the distance of the last step from it, and the unstable fixed points of R_b.
/// </summary>
/// <param name="ScaleFactor">b.</param>
/// <param name="Steps">θ_0 … θ_n.</param>
/// <param name="FixedPoint">θ*(θ0) and its stability.</param>
/// <param name="DistanceToFixedPoint">max_i |θ_n,i − θ*_i| over the user-facing parameters.</param>
/// <param name="UnstableFixedPoints">The unstable fixed points of R_b.</param>
public sealed record RgFlowResult(
    int ScaleFactor,
    IReadOnlyList<RgStep> Steps,
    FixedPointReport FixedPoint,
    double DistanceToFixedPoint,
    IReadOnlyList<FixedPointReport> UnstableFixedPoints)
{
    /// <summary>The last point of the flow.</summary>
    public ChainParameters Final => Steps[^1].Parameters;
}
