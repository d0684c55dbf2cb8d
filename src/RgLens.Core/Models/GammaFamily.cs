namespace RgLens.Models;

/// <summary>
/// The Gamma chain (docs/theory.md, "Chain families"): x ∈ (0, ∞), ν = 1, T(x) = (ln x, x), η = (α − 1, −β):
/// p(x) ∝ Π x_i^{α−1} e^{−β x_i} · exp(K Σ x_i x_{i+1}). Normalizable for α &gt; 0, β &gt; 0 and
/// K ≤ 0 (then e^{K x y} ≤ 1 and the independent Gamma(α, β) bounds it). Parameters in the order
/// alpha, beta, K.
/// </summary>
public sealed class GammaFamily : ChainFamily
{
    /// <summary>The one instance.</summary>
    public static GammaFamily Instance { get; } = new();

    private static readonly ParameterInfo[] s_parameters =
    [
        new("alpha", "shape alpha > 0 (ln x enters with alpha - 1)", 2.0),
        new("beta", "rate beta > 0 (x enters with -beta)", 1.0),
        new("K", "nearest-neighbour coupling; needs K <= 0", -0.2),
    ];

    private GammaFamily() { }

    /// <inheritdoc />
    public override string Name => "gamma";

    /// <inheritdoc />
    public override SupportKind Support => SupportKind.PositiveReal;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterInfo> Parameters => s_parameters;

    /// <inheritdoc />
    public override int StatisticCount => 2;

    /// <inheritdoc />
    public override int LinearStatistic => 1;

    /// <inheritdoc />
    public override double MaximumCoupling => 0.0;

    /// <inheritdoc />
    public override double LogBaseMeasure(double x) => 0.0;

    /// <inheritdoc />
    public override void Statistics(double x, Span<double> statistics)
    {
        statistics[0] = Math.Log(x);
        statistics[1] = x;
    }

    /// <inheritdoc />
    public override bool InSupport(double x) => x > 0 && double.IsFinite(x);

    /// <inheritdoc />
    public override ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling) => new GammaParameters(natural[0] + 1, -natural[1], coupling);

    /// <inheritdoc />
    protected override ChainParameters CreateCore(ReadOnlySpan<double> values) => new GammaParameters(values[0], values[1], values[2]);
}
