using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>
/// Exact decimation of the Gaussian chain for any scale factor b (docs/theory.md, "Decimation and its fixed points"). Integrating out
/// the b − 1 sites between kept ones is a Schur complement of the precision matrix, and the
/// result is again a Gaussian chain: the kept sites have the same marginal (mean μ, variance v)
/// and lag-one correlation ρ_b = ρ^b. Writing the new chain through ρ_b:
/// <list type="bullet">
/// <item>a_b = a (1 − ρ²)(1 + ρ_b²) / ((1 + ρ²)(1 − ρ_b²)), K_b = a (1 − ρ²) ρ_b / ((1 + ρ²)(1 − ρ_b²)),</item>
/// <item>h_b = h (1 + ρ)(1 − ρ_b) / ((1 − ρ)(1 + ρ_b)),</item>
/// <item>g_b = b ln λ_0(θ) − ln λ_0(θ_b), the constant per renormalized bond (T^b = e^{g_b} T_{θ_b}).</item>
/// </list>
/// For b = 2 these equal the closed forms a' = a − 2K²/a, K' = K²/a, h' = h(1 + 2K/a),
/// g' = ½ ln(2π/a) + h²/(2a) (<see cref="StepClosedFormB2"/>, kept as an independent reference);
/// in u = K/a: u' = u²/(1 − 2u²). The projection residual is exactly 0: the family is closed.
/// </summary>
public sealed class GaussianDecimation : DecimationMap
{
    /// <summary>The one instance.</summary>
    public static GaussianDecimation Instance { get; } = new();

    private GaussianDecimation() { }

    /// <inheritdoc />
    public override ChainFamily Family => GaussianFamily.Instance;

    /// <inheritdoc />
    protected override RgStep StepCore(ChainParameters theta, int scaleFactor, int stepIndex)
    {
        var (next, g) = Step((GaussianParameters)theta, scaleFactor);
        return new RgStep(stepIndex, next, g, 0.0);
    }

    /// <summary>(θ_b, g_b) from the forms above.</summary>
    public static (GaussianParameters Parameters, double LogScale) Step(GaussianParameters p, int scaleFactor)
    {
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        var t = GaussianClosedForms.Terms.Of(p);
        double rhoB = Math.Pow(t.Rho, scaleFactor);
        double oneMinusRhoB2 = t.OneMinusPower(2 * scaleFactor);
        double scale = p.Precision * t.OneMinusRho2 / ((1 + t.Rho * t.Rho) * oneMinusRhoB2);
        double a = scale * (1 + rhoB * rhoB);
        double k = scale * rhoB;
        double oneMinusRho = t.Rho >= 0 ? t.OneMinusAbsRho : 1 - t.Rho;
        double h = p.Field == 0 ? 0.0 : p.Field * (1 + t.Rho) * t.OneMinusPower(scaleFactor) / (oneMinusRho * t.OnePlusPower(scaleFactor));
        var next = new GaussianParameters(a, k, h);
        double g = scaleFactor * GaussianClosedForms.LogPartitionPerSite(p) - GaussianClosedForms.LogPartitionPerSite(next);
        return (next, g);
    }

    /// <summary>Reference: the b = 2 Schur complement of docs/theory.md, "Decimation and its fixed points".</summary>
    public static (GaussianParameters Parameters, double LogScale) StepClosedFormB2(GaussianParameters p)
    {
        double a = p.Precision, k = p.Coupling, h = p.Field;
        return (new GaussianParameters(a - 2 * k * k / a, k * k / a, h * (1 + 2 * k / a)), 0.5 * Math.Log(2 * Math.PI / a) + h * h / (2 * a));
    }

    /// <summary>θ* = (a* = 1/v, K* = 0, h* = μ/v), v and μ the variance and mean of θ0's marginal.</summary>
    protected override ChainParameters StableFixedPointCore(ChainParameters theta0)
    {
        var p = (GaussianParameters)theta0;
        double v = GaussianClosedForms.InfiniteCovariance(p, 0);
        return new GaussianParameters(1 / v, 0.0, GaussianClosedForms.Mean(p) / v);
    }

    /// <summary>
    /// The massless fixed point u = K/a = ½, h = 0 (ρ = 1, infinite correlation length), in the
    /// coordinates (1 − 2K/a, h). From ρ_b = ρ^b and the forms above, as ρ → 1:
    /// 1 − 2u_b = (1 − ρ_b)²/(1 + ρ_b²) = b²(1 − 2u)(1 + O(1 − ρ)) and h_b/h → b, with no mixing at
    /// h = 0, so the Jacobian is diag(b², b): both directions relevant (the slope b² in u; docs/theory.md, "Decimation and its fixed points").
    /// The precision a itself is not fixed there (a_b → a/b: decimation does not rescale the field).
    /// </summary>
    public override IReadOnlyList<FixedPointReport> UnstableFixedPoints(int scaleFactor)
    {
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        double b = scaleFactor;
        var modes = new List<(double, double[])> { (b * b, [1.0, 0.0]), (b, [0.0, 1.0]) };
        return [FixedPointReport.Classify(["K/a", "h"], [0.5, 0.0], modes, ["1 - 2K/a", "h"])];
    }
}
