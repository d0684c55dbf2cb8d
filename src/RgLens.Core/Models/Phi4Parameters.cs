namespace RgLens.Models;

/// <summary>
/// A point (a, λ, K, h) of the φ⁴ family:
/// p(x) ∝ exp(Σ (h x_i − (a/2) x_i² − λ x_i⁴) + K Σ x_i x_{i+1}) (docs/theory.md, "Chain families").
/// </summary>
/// <param name="Quadratic">a: x² enters as −(a/2) x² (any real; a &lt; 0 gives a double well).</param>
/// <param name="Quartic">λ &gt; 0: x⁴ enters as −λ x⁴.</param>
/// <param name="Coupling">K, the nearest-neighbour coupling (any real).</param>
/// <param name="Field">h, the field.</param>
public sealed record Phi4Parameters(double Quadratic, double Quartic, double Coupling, double Field) : ChainParameters
{
    /// <inheritdoc />
    public override ChainFamily Family => Phi4Family.Instance;

    /// <inheritdoc />
    public override double NeighbourCoupling => Coupling;

    /// <inheritdoc />
    public override double[] NaturalParameters() => [Field, -Quadratic / 2, -Quartic];

    /// <inheritdoc />
    public override double[] Values() => [Quadratic, Quartic, Coupling, Field];

    /// <inheritdoc />
    public override string? DomainViolation() =>
        NonFinite(Quadratic, "a") ?? NonFinite(Quartic, "lambda") ?? NonFinite(Coupling, "K") ?? NonFinite(Field, "h")
        ?? (Quartic > 0 ? null : $"phi4 chain needs lambda > 0; got lambda={Show(Quartic)}.");

    /// <inheritdoc />
    public override void Validate() => ThrowIfOutsideDomain();
}
