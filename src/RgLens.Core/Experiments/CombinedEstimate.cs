using RgLens.Estimation;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>
/// One layer's parameters combined over the seeds (Student t interval across seeds, see
/// <see cref="Comparison.SeedAggregation"/>), for one objective, compression and reading.
/// </summary>
/// <param name="Objective">The objective.</param>
/// <param name="Compression">b of the network.</param>
/// <param name="Layer">The encoder layer l.</param>
/// <param name="Reading">The reading.</param>
/// <param name="Parameters">The fitted chain parameters, combined.</param>
/// <param name="MaxAbsCoupling">Largest all-pairs |J_ij|, combined (null when not fitted).</param>
/// <param name="MultiInformation">Multi-information, combined.</param>
public sealed record CombinedEstimate(
    Objective Objective,
    int Compression,
    int Layer,
    LayerReading Reading,
    IReadOnlyList<ParameterEstimate> Parameters,
    ParameterEstimate? MaxAbsCoupling,
    ParameterEstimate MultiInformation)
{
    /// <summary>The combined estimate named <paramref name="name"/>.</summary>
    public ParameterEstimate this[string name] => Parameters.First(p => p.Name == name);
}
