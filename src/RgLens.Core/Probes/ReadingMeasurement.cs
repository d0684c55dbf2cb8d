using RgLens.Estimation;

namespace RgLens.Probes;

/// <summary>
/// One layer's output system in one gauge-fixed reading (docs/theory-choices.md, "Readings").
/// For a binary reading, <see cref="Coupling"/> is the nearest-neighbour coupling K of an Ising chain
/// with one field per unit (so unequal magnetizations cannot masquerade as a coupling), and
/// <see cref="Field"/> the common field h of the homogeneous chain, with the likelihood-ratio test
/// of homogeneity beside it. For the continuous reading, <see cref="Coupling"/> is the mean
/// neighbour correlation ρ of the Gaussian-copula scores and there is no field.
/// Intervals are within-network only (bootstrap over probe samples, normal approximation).
/// </summary>
/// <param name="Reading">The reading's id.</param>
/// <param name="Units">Units read.</param>
/// <param name="Coupling">K (per-unit-field Ising chain) or ρ (copula), with its within-network standard error.</param>
/// <param name="Field">h of the homogeneous Ising chain (binary readings only).</param>
/// <param name="HomogeneousCoupling">K of the homogeneous Ising chain (binary readings only).</param>
/// <param name="HomogeneityStatistic">Likelihood-ratio statistic of "one field for all units" against per-unit fields.</param>
/// <param name="HomogeneityDegreesOfFreedom">Its χ² degrees of freedom (units − 1).</param>
/// <param name="HomogeneityP">Its p-value (independent samples, χ² asymptotics).</param>
/// <param name="UnitMeans">Per-unit magnetization (binary) or mean activation (continuous), in chain order after the gauge.</param>
/// <param name="UnitFields">Per-unit fields h_j of the per-unit-field chain, in chain order (binary readings only).</param>
/// <param name="MultiInformation">−½ ln det of the units' correlation matrix (nats): an order-free measure.</param>
/// <param name="MaxAbsCoupling">Largest |J_ij| of the all-pairs pseudo-likelihood fit (order-free; null when not fitted).</param>
/// <param name="Warnings">What the reader should know (excluded units, saturated units).</param>
public sealed record ReadingMeasurement(
    string Reading,
    int Units,
    ParameterEstimate Coupling,
    ParameterEstimate? Field,
    ParameterEstimate? HomogeneousCoupling,
    double? HomogeneityStatistic,
    int? HomogeneityDegreesOfFreedom,
    double? HomogeneityP,
    IReadOnlyList<double> UnitMeans,
    IReadOnlyList<double>? UnitFields,
    double MultiInformation,
    double? MaxAbsCoupling,
    IReadOnlyList<string> Warnings)
{
    /// <summary>For a convolutional layer pooled over its channels (<see cref="ChannelChains.Pool"/>): each channel's own reading, in channel order; null otherwise.</summary>
    public IReadOnlyList<ReadingMeasurement>? Channels { get; init; }
}
