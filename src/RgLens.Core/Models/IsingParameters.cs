namespace RgLens.Models;

/// <summary>
/// A point (K, h) of the Ising family: coupling K and field h, with
/// p(s) ∝ exp(K Σ s_i s_{i+1} + h Σ s_i) (docs/theory.md, "Chain families").
/// </summary>
/// <param name="Coupling">The nearest-neighbour coupling K (any finite real; K &lt; 0 is antiferromagnetic).</param>
/// <param name="Field">The field h (any finite real).</param>
public sealed record IsingParameters(double Coupling, double Field) : ChainParameters
{
    /// <inheritdoc />
    public override ChainFamily Family => IsingFamily.Instance;

    /// <inheritdoc />
    public override double NeighbourCoupling => Coupling;

    /// <inheritdoc />
    public override double[] NaturalParameters() => [Field];

    /// <inheritdoc />
    public override double[] Values() => [Coupling, Field];

    /// <inheritdoc />
    public override void Validate()
    {
        RequireFinite(Coupling, "K");
        RequireFinite(Field, "h");
    }
}
