namespace RgLens.Models;

/// <summary>
/// A point (η, K) of the Bernoulli family: p(x) ∝ exp(η Σ x_i + K Σ x_i x_{i+1}), x_i ∈ {0, 1}
/// (docs/theory.md, "Chain families").
/// </summary>
/// <param name="Field">η, the natural parameter of the occupation.</param>
/// <param name="Coupling">K, the nearest-neighbour coupling.</param>
public sealed record BernoulliParameters(double Field, double Coupling) : ChainParameters
{
    /// <inheritdoc />
    public override ChainFamily Family => BernoulliFamily.Instance;

    /// <inheritdoc />
    public override double NeighbourCoupling => Coupling;

    /// <inheritdoc />
    public override double[] NaturalParameters() => [Field];

    /// <inheritdoc />
    public override double[] Values() => [Field, Coupling];

    /// <inheritdoc />
    public override string? DomainViolation() => NonFinite(Field, "eta") ?? NonFinite(Coupling, "K");

    /// <inheritdoc />
    public override void Validate() => ThrowIfOutsideDomain();

    /// <summary>
    /// The Ising chain of s = 2x − 1: K_s = K/4, h_s = η/2 + K/2. Exact for rings and the infinite
    /// chain; the transfer kernels agree up to the constant e^{K/4 + η/2} per bond
    /// (T_bernoulli(x, y) = e^{K/4 + η/2} T_ising(s, s')). An open chain's end sites differ by a field −K/4.
    /// </summary>
    public IsingParameters ToIsing() => new(Coupling / 4, Field / 2 + Coupling / 2);

    /// <summary>The inverse of <see cref="ToIsing"/>: K = 4K_s, η = 2h_s − 4K_s.</summary>
    public static BernoulliParameters FromIsing(IsingParameters ising) => new(2 * ising.Field - 4 * ising.Coupling, 4 * ising.Coupling);

    /// <summary>ln of the constant per bond between the Bernoulli and Ising kernels: K/4 + η/2.</summary>
    public double LogKernelConstant => Coupling / 4 + Field / 2;
}
