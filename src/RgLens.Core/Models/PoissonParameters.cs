namespace RgLens.Models;

/// <summary>
/// A point (μ, K) of the Poisson family: p(x) ∝ Π (μ^{x_i}/x_i!) · exp(K Σ x_i x_{i+1}) (docs/theory.md, "Chain families").
/// </summary>
/// <param name="Rate">μ = e^η &gt; 0.</param>
/// <param name="Coupling">K ≤ 0.</param>
public sealed record PoissonParameters(double Rate, double Coupling) : ChainParameters
{
    /// <inheritdoc />
    public override ChainFamily Family => PoissonFamily.Instance;

    /// <inheritdoc />
    public override double NeighbourCoupling => Coupling;

    /// <inheritdoc />
    public override double[] NaturalParameters() => [Math.Log(Rate)];

    /// <inheritdoc />
    public override double[] Values() => [Rate, Coupling];

    /// <inheritdoc />
    public override string? DomainViolation() =>
        NonFinite(Rate, "mu") ?? NonFinite(Coupling, "K")
        ?? (Rate > 0 ? null : $"Poisson chain needs mu > 0; got mu={Show(Rate)}.")
        ?? (Coupling <= 0 ? null : $"Poisson chain is normalizable only for K <= 0; got K={Show(Coupling)}.");

    /// <inheritdoc />
    public override void Validate() => ThrowIfOutsideDomain();
}
