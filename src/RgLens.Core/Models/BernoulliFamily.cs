namespace RgLens.Models;

/// <summary>
/// The Bernoulli chain or lattice gas (docs/theory.md, "Chain families"): occupations x ∈ {0, 1}, ν = 1, T(x) = x,
/// p(x) ∝ exp(η Σ x_i + K Σ x_i x_{i+1}). With s = 2x − 1 a ring is exactly the Ising ring with
/// K_s = K/4 and h_s = η/2 + K/2 (<see cref="BernoulliParameters.ToIsing"/>). Every real (η, K) is
/// valid. Parameters in the order eta, K.
/// </summary>
public sealed class BernoulliFamily : ChainFamily
{
    /// <summary>The one instance.</summary>
    public static BernoulliFamily Instance { get; } = new();

    private static readonly ParameterInfo[] s_parameters =
    [
        new("eta", "occupation field (natural parameter of x in {0, 1}; -K gives half filling)", -1.0),
        new("K", "nearest-neighbour coupling", 1.0),
    ];

    private BernoulliFamily() { }

    /// <inheritdoc />
    public override string Name => "bernoulli";

    /// <inheritdoc />
    public override SupportKind Support => SupportKind.Binary;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterInfo> Parameters => s_parameters;

    /// <inheritdoc />
    public override int StatisticCount => 1;

    /// <inheritdoc />
    public override int LinearStatistic => 0;

    /// <inheritdoc />
    public override double LogBaseMeasure(double x) => 0.0;

    /// <inheritdoc />
    public override void Statistics(double x, Span<double> statistics) => statistics[0] = x;

    /// <inheritdoc />
    public override bool InSupport(double x) => x == 0.0 || x == 1.0;

    /// <inheritdoc />
    public override ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling) => new BernoulliParameters(natural[0], coupling);

    /// <inheritdoc />
    protected override ChainParameters CreateCore(ReadOnlySpan<double> values) => new BernoulliParameters(values[0], values[1]);
}
