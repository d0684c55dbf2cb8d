namespace RgLens.Models;

/// <summary>
/// A point (α, β, K) of the Gamma family: p(x) ∝ Π x_i^{α−1} e^{−β x_i} · exp(K Σ x_i x_{i+1}),
/// x_i &gt; 0 (docs/theory.md, "Chain families").
/// </summary>
/// <param name="Shape">α &gt; 0.</param>
/// <param name="Rate">β &gt; 0.</param>
/// <param name="Coupling">K ≤ 0.</param>
public sealed record GammaParameters(double Shape, double Rate, double Coupling) : ChainParameters
{
    /// <inheritdoc />
    public override ChainFamily Family => GammaFamily.Instance;

    /// <inheritdoc />
    public override double NeighbourCoupling => Coupling;

    /// <inheritdoc />
    public override double[] NaturalParameters() => [Shape - 1, -Rate];

    /// <inheritdoc />
    public override double[] Values() => [Shape, Rate, Coupling];

    /// <inheritdoc />
    public override string? DomainViolation() =>
        NonFinite(Shape, "alpha") ?? NonFinite(Rate, "beta") ?? NonFinite(Coupling, "K")
        ?? (Shape > 0 && Rate > 0 ? null : $"Gamma chain needs alpha > 0 and beta > 0; got alpha={Show(Shape)}, beta={Show(Rate)}.")
        ?? (Coupling <= 0 ? null : $"Gamma chain is normalizable only for K <= 0; got K={Show(Coupling)}.");

    /// <inheritdoc />
    public override void Validate() => ThrowIfOutsideDomain();
}
