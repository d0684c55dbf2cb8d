using RgLens.Estimation;
using RgLens.Models;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>
/// One layer's output system in one reading (theory.md §3): the chain parameters fitted to the
/// units in index order, and the order-free measures.
/// </summary>
/// <param name="Reading">The reading.</param>
/// <param name="Family">The chain family fitted (Ising for the binary readings).</param>
/// <param name="Parameters">The fitted parameters in the family's order, with bootstrap intervals.</param>
/// <param name="MaxAbsCoupling">Largest |J_ij| of the all-pairs fit (null when not fitted).</param>
/// <param name="MeanNeighbourCoupling">Mean J_{j,j+1} of the all-pairs fit (null when not fitted).</param>
/// <param name="MultiInformation">−½ ln det R of the read units (nats).</param>
/// <param name="PlugInMultiInformation">Plug-in multi-information when the patterns are well sampled.</param>
/// <param name="Warnings">The fit's warnings.</param>
public sealed record ReadingMeasurement(
    LayerReading Reading,
    ChainFamily Family,
    IReadOnlyList<ParameterEstimate> Parameters,
    double? MaxAbsCoupling,
    double? MeanNeighbourCoupling,
    double MultiInformation,
    double? PlugInMultiInformation,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The estimate named <paramref name="name"/>.</summary>
    public ParameterEstimate this[string name] => Parameters.First(p => p.Name == name);
}
