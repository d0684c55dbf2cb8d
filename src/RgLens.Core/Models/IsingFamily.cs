namespace RgLens.Models;

/// <summary>
/// The 1D Ising chain (docs/theory.md, "Chain families"): spins s ∈ {−1, +1}, ν = 1, T(s) = s, η = h;
/// H = −K Σ s_i s_{i+1} − h Σ s_i. Every real (K, h) is a valid member.
/// </summary>
public sealed class IsingFamily : ChainFamily
{
    /// <summary>The one instance.</summary>
    public static IsingFamily Instance { get; } = new();

    private static readonly ParameterInfo[] s_parameters =
    [
        new("K", "nearest-neighbour coupling", 0.7),
        new("h", "magnetic field", 0.0),
    ];

    private IsingFamily() { }

    /// <inheritdoc />
    public override string Name => "ising";

    /// <inheritdoc />
    public override SupportKind Support => SupportKind.Spins;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterInfo> Parameters => s_parameters;

    /// <inheritdoc />
    public override int StatisticCount => 1;

    /// <inheritdoc />
    public override double LogBaseMeasure(double x) => 0.0;

    /// <inheritdoc />
    public override void Statistics(double x, Span<double> statistics) => statistics[0] = x;

    /// <inheritdoc />
    public override bool InSupport(double x) => x == 1.0 || x == -1.0;

    /// <inheritdoc />
    public override int LinearStatistic => 0;

    /// <inheritdoc />
    public override ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling) => new IsingParameters(coupling, natural[0]);

    /// <inheritdoc />
    protected override ChainParameters CreateCore(ReadOnlySpan<double> values) => new IsingParameters(values[0], values[1]);
}
