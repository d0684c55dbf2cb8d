using RgLens.Models;
using RgLens.Renormalization;

namespace RgLens.Results;

/// <summary>
/// The RG side of the experiment: the b = 2 flow θ0, R_2(θ0), …, R_2^d(θ0) that the
/// pyramid's layers are set against, the one-step points R_b(θ0) for each compression, and the stable
/// fixed point θ*(θ0) with its stability.
/// </summary>
/// <param name="Flow">The b = 2 flow over d = log2(largest compression) steps, with fixed points.</param>
/// <param name="ByCompression">R_b(θ0) for each compression b.</param>
public sealed record RgSide(RgFlowResult Flow, IReadOnlyDictionary<int, ChainParameters> ByCompression)
{
    /// <summary>θ*(θ0).</summary>
    public IReadOnlyList<double> FixedPoint => Flow.FixedPoint.Values;

    /// <summary>R_2^l(θ0).</summary>
    public ChainParameters Layer(int l) => Flow.Steps[l].Parameters;
}
