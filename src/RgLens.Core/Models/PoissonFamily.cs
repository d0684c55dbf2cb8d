using MathNet.Numerics;

namespace RgLens.Models;

/// <summary>
/// The Poisson chain (docs/theory.md, "Chain families"): counts x ∈ ℕ, ν(x) = 1/x!, T(x) = x, η = ln μ:
/// p(x) ∝ Π (μ^{x_i}/x_i!) · exp(K Σ x_i x_{i+1}). Normalizable only for K ≤ 0 (for K &gt; 0 the
/// coupling's x y outgrows ln x!). At K = 0 the sites are independent Poisson(μ). Parameters in
/// the order mu, K.
/// </summary>
public sealed class PoissonFamily : ChainFamily
{
    /// <summary>The one instance.</summary>
    public static PoissonFamily Instance { get; } = new();

    private static readonly ParameterInfo[] s_parameters =
    [
        new("mu", "rate mu = e^eta > 0 (the mean at K = 0)", 3.0),
        new("K", "nearest-neighbour coupling; needs K <= 0", -0.2),
    ];

    private PoissonFamily() { }

    /// <inheritdoc />
    public override string Name => "poisson";

    /// <inheritdoc />
    public override SupportKind Support => SupportKind.Counts;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterInfo> Parameters => s_parameters;

    /// <inheritdoc />
    public override int StatisticCount => 1;

    /// <inheritdoc />
    public override int LinearStatistic => 0;

    /// <inheritdoc />
    public override double MaximumCoupling => 0.0;

    /// <inheritdoc />
    public override double LogBaseMeasure(double x) => -SpecialFunctions.GammaLn(x + 1);

    /// <inheritdoc />
    public override void Statistics(double x, Span<double> statistics) => statistics[0] = x;

    /// <inheritdoc />
    public override bool InSupport(double x) => x >= 0 && x == Math.Floor(x) && double.IsFinite(x);

    /// <inheritdoc />
    public override ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling) => new PoissonParameters(Math.Exp(natural[0]), coupling);

    /// <inheritdoc />
    protected override ChainParameters CreateCore(ReadOnlySpan<double> values) => new PoissonParameters(values[0], values[1]);
}
