using RgLens.Estimation;

namespace RgLens.Probes;

/// <summary>
/// The output system of one layer in a binary reading (theory.md §3): the Ising chain fitted to the
/// units in index order, and the order-free measures (all-pairs couplings, multi-information).
/// </summary>
/// <param name="Reading">Sign or stochastic.</param>
/// <param name="Chain">The Ising chain (K, h) with bootstrap intervals.</param>
/// <param name="AllPairs">The all-pairs pseudo-likelihood fit, when requested.</param>
/// <param name="MultiInformation">−½ ln det R of the ±1 units (nats).</param>
/// <param name="PlugInMultiInformation">The Miller–Madow plug-in estimate, when the patterns are well sampled (2^M ≤ n/8).</param>
/// <param name="ActiveFraction">Fraction of +1 values: 0 or 1 flags a saturated layer.</param>
public sealed record BinaryProbeResult(
    LayerReading Reading,
    ChainFit Chain,
    PairwiseIsingModel? AllPairs,
    double MultiInformation,
    double? PlugInMultiInformation,
    double ActiveFraction);
