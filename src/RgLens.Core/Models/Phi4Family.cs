namespace RgLens.Models;

/// <summary>
/// The φ⁴ (even polynomial) chain (docs/theory.md, "Chain families"): x ∈ ℝ, ν = 1, T(x) = (x, x², x⁴),
/// η = (h, −a/2, −λ): p(x) ∝ exp(Σ (h x_i − (a/2) x_i² − λ x_i⁴) + K Σ x_i x_{i+1}). Normalizable
/// for λ &gt; 0 and any K and a (a double well when a &lt; 0). Parameters in the order a, lambda, K, h.
/// </summary>
public sealed class Phi4Family : ChainFamily
{
    /// <summary>The one instance.</summary>
    public static Phi4Family Instance { get; } = new();

    private static readonly ParameterInfo[] s_parameters =
    [
        new("a", "quadratic coefficient (x^2 enters as -a/2 x^2; a < 0 is a double well)", -1.0),
        new("lambda", "quartic coefficient (x^4 enters as -lambda x^4); needs lambda > 0", 0.5),
        new("K", "nearest-neighbour coupling", 0.4),
        new("h", "field (coefficient of x)", 0.0),
    ];

    private Phi4Family() { }

    /// <inheritdoc />
    public override string Name => "phi4";

    /// <inheritdoc />
    public override SupportKind Support => SupportKind.Real;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterInfo> Parameters => s_parameters;

    /// <inheritdoc />
    public override int StatisticCount => 3;

    /// <inheritdoc />
    public override int LinearStatistic => 0;

    /// <inheritdoc />
    public override double LogBaseMeasure(double x) => 0.0;

    /// <inheritdoc />
    public override void Statistics(double x, Span<double> statistics)
    {
        double x2 = x * x;
        statistics[0] = x;
        statistics[1] = x2;
        statistics[2] = x2 * x2;
    }

    /// <inheritdoc />
    public override void AddLogWeights(ReadOnlySpan<double> x, ReadOnlySpan<double> eta, Span<double> destination)
    {
        // η0 x + η1 x² + η2 x⁴ = (η1 + η2 x²) x² + η0 x, vectorized.
        Span<double> x2 = x.Length <= 1024 ? stackalloc double[x.Length] : new double[x.Length];
        Span<double> acc = x.Length <= 1024 ? stackalloc double[x.Length] : new double[x.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(x, x, x2);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x2, eta[2], acc);
        System.Numerics.Tensors.TensorPrimitives.Add(acc, eta[1], acc);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(acc, x2, destination, destination);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, eta[0], destination, destination);
    }

    /// <inheritdoc />
    public override bool InSupport(double x) => double.IsFinite(x);

    /// <inheritdoc />
    public override ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling) =>
        new Phi4Parameters(-2 * natural[1], -natural[2], coupling, natural[0]);

    /// <inheritdoc />
    protected override ChainParameters CreateCore(ReadOnlySpan<double> values) => new Phi4Parameters(values[0], values[1], values[2], values[3]);
}
