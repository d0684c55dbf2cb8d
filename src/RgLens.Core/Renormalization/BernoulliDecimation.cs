using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>
/// Exact decimation of the Bernoulli chain for any b through the Ising mapping (docs/theory.md, "Transfer matrices and exact oracles" and "Decimation and its fixed points"):
/// T_bernoulli = e^c T_ising with c = K/4 + η/2 at K_s = K/4, h_s = η/2 + K/2, so
/// T_bernoulli^b = e^{bc + g_s} T_ising(K_s', h_s') = e^{bc + g_s − c'} T_bernoulli(K', η') with
/// (K', η') = (4K_s', 2h_s' − 4K_s') and c' = K'/4 + η'/2. The family is closed: residual 0.
/// The stable fixed point is K* = 0, η* = 2 atanh m_s = logit(⟨x⟩); the unstable one is the Ising
/// K_s = ∞, h_s = 0, i.e. K = ∞ with η = −K (half filling).
/// </summary>
public sealed class BernoulliDecimation : DecimationMap
{
    /// <summary>The one instance.</summary>
    public static BernoulliDecimation Instance { get; } = new();

    private BernoulliDecimation() { }

    /// <inheritdoc />
    public override ChainFamily Family => BernoulliFamily.Instance;

    /// <inheritdoc />
    protected override RgStep StepCore(ChainParameters theta, int scaleFactor, int stepIndex)
    {
        var (next, g) = Step((BernoulliParameters)theta, scaleFactor);
        return new RgStep(stepIndex, next, g, 0.0);
    }

    /// <summary>(θ_b, g_b) through the Ising closed forms.</summary>
    public static (BernoulliParameters Parameters, double LogScale) Step(BernoulliParameters p, int scaleFactor)
    {
        var s = p.ToIsing();
        var (k, h, g) = IsingDecimation.Step(s.Coupling, s.Field, scaleFactor);
        var next = BernoulliParameters.FromIsing(new IsingParameters(k, h));
        return (next, scaleFactor * p.LogKernelConstant + g - next.LogKernelConstant);
    }

    /// <inheritdoc />
    protected override ChainParameters StableFixedPointCore(ChainParameters theta0)
    {
        var s = ((BernoulliParameters)theta0).ToIsing();
        return new BernoulliParameters(2 * IsingDecimation.FixedPointField(s.Coupling, s.Field), 0.0);
    }

    /// <summary>The Ising zero-temperature point K_s = ∞, h_s = 0 in Bernoulli words: K = ∞, η = −K; eigenvalues b, b.</summary>
    public override IReadOnlyList<FixedPointReport> UnstableFixedPoints(int scaleFactor)
    {
        var ising = IsingDecimation.Instance.UnstableFixedPoints(scaleFactor).Single();
        var modes = ising.Eigenvalues.Zip(ising.Eigenvectors, (e, v) => (e, v.ToArray())).ToList();
        return [FixedPointReport.Classify(["eta", "K"], [double.NegativeInfinity, double.PositiveInfinity], modes, ["1 - tanh(K/4)", "(eta + K)/2"])];
    }
}
