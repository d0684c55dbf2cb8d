namespace RgLens.Models;

/// <summary>
/// A point (a, K, h) of the Gaussian family (docs/theory.md, "Chain families"):
/// p(x) ∝ exp(−(a/2) Σ x_i² + K Σ x_i x_{i+1} + h Σ x_i). As a stationary AR(1) process the infinite
/// chain has lag-one correlation ρ solving u = K/a = ρ/(1 + ρ²), marginal variance
/// (1 + ρ²)/(a(1 − ρ²)) and mean h/(a − 2K).
/// </summary>
/// <param name="Precision">a, the diagonal of the precision matrix; a &gt; 2|K|.</param>
/// <param name="Coupling">K, the nearest-neighbour coupling (off-diagonal −K).</param>
/// <param name="Field">h, the field.</param>
public sealed record GaussianParameters(double Precision, double Coupling, double Field) : ChainParameters
{
    /// <inheritdoc />
    public override ChainFamily Family => GaussianFamily.Instance;

    /// <inheritdoc />
    public override double NeighbourCoupling => Coupling;

    /// <summary>u = K/a ∈ (−½, ½): the scale-free coupling that the RG acts on (u' = u²/(1 − 2u²) for b = 2).</summary>
    public double CouplingRatio => Coupling / Precision;

    /// <inheritdoc />
    public override double[] NaturalParameters() => [Field, -Precision / 2];

    /// <inheritdoc />
    public override double[] Values() => [Precision, Coupling, Field];

    /// <inheritdoc />
    public override string? DomainViolation() =>
        NonFinite(Precision, "a") ?? NonFinite(Coupling, "K") ?? NonFinite(Field, "h")
        ?? (Precision > 2 * Math.Abs(Coupling) ? null : $"Gaussian chain needs a > 2|K|; got a={Show(Precision)}, K={Show(Coupling)}.");

    /// <inheritdoc />
    public override void Validate() => ThrowIfOutsideDomain();
}
