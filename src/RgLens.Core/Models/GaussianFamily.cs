namespace RgLens.Models;

/// <summary>
/// The Gaussian chain (docs/theory.md, "Chain families"): x ∈ ℝ, ν = 1, T(x) = (x, x²), η = (h, −a/2), so that
/// p(x) ∝ exp(−(a/2) Σ x_i² + K Σ x_i x_{i+1} + h Σ x_i): a Gaussian with precision matrix a on the
/// diagonal and −K off it. Normalizable for a &gt; 2|K| (the infinite chain's condition, required for
/// every N). Parameters in the order a, K, h.
/// </summary>
public sealed class GaussianFamily : ChainFamily
{
    /// <summary>The one instance.</summary>
    public static GaussianFamily Instance { get; } = new();

    private static readonly ParameterInfo[] s_parameters =
    [
        new("a", "precision: the diagonal of the precision matrix (coefficient -a/2 of x^2); needs a > 2|K|", 1.0),
        new("K", "nearest-neighbour coupling", 0.4),
        new("h", "field (coefficient of x)", 0.0),
    ];

    private GaussianFamily() { }

    /// <inheritdoc />
    public override string Name => "gaussian";

    /// <inheritdoc />
    public override SupportKind Support => SupportKind.Real;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterInfo> Parameters => s_parameters;

    /// <inheritdoc />
    public override int StatisticCount => 2;

    /// <inheritdoc />
    public override int LinearStatistic => 0;

    /// <inheritdoc />
    public override double LogBaseMeasure(double x) => 0.0;

    /// <inheritdoc />
    public override void Statistics(double x, Span<double> statistics)
    {
        statistics[0] = x;
        statistics[1] = x * x;
    }

    /// <inheritdoc />
    public override bool InSupport(double x) => double.IsFinite(x);

    /// <inheritdoc />
    public override ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling) =>
        new GaussianParameters(-2 * natural[1], coupling, natural[0]);

    /// <inheritdoc />
    protected override ChainParameters CreateCore(ReadOnlySpan<double> values) => new GaussianParameters(values[0], values[1], values[2]);
}
