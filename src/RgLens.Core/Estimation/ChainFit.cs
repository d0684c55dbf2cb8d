using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// The characteristic parameters of a data set fitted with one method, each with its bootstrap
/// confidence interval, plus any warnings a careful reader needs (non-existent MLE, bias).
/// </summary>
/// <param name="Family">The family fitted.</param>
/// <param name="Method">The estimator.</param>
/// <param name="Boundary">The boundary condition assumed for the data's chains.</param>
/// <param name="Samples">Number of samples (rows) used.</param>
/// <param name="Sites">Sites per sample.</param>
/// <param name="Estimates">One estimate per parameter, in the family's order.</param>
/// <param name="ConfidenceLevel">Nominal coverage of the intervals (e.g. 0.95).</param>
/// <param name="Replicates">Bootstrap replicates drawn.</param>
/// <param name="Warnings">Plain-language warnings; empty when there are none.</param>
public sealed record ChainFit(
    ChainFamily Family,
    EstimationMethod Method,
    Boundary Boundary,
    int Samples,
    int Sites,
    IReadOnlyList<ParameterEstimate> Estimates,
    double ConfidenceLevel,
    int Replicates,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// The bootstrap covariance of the estimates (parameters in the family's order) over the
    /// replicates where every parameter is finite; null with fewer than 2 such replicates. The
    /// parameters of a chain are correlated (for the Ising chain K and h by −0.4 to −0.7), so what
    /// is propagated from θ0 needs this, not the standard errors alone.
    /// </summary>
    public double[,]? Covariance { get; init; }

    /// <summary>The estimate named <paramref name="name"/>.</summary>
    public ParameterEstimate this[string name] => Estimates.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"no estimate named '{name}'.", nameof(name));
}
