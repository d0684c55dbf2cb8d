using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>
/// The real-space decimation R_b of a chain family (docs/theory.md, "Decimation and its fixed points"): keep every b-th site, sum out
/// the rest, read the parameters back off the composed kernel T_b = T^b (projected onto the family
/// where it leaves it). Public entry points validate and delegate to the family's core.
/// </summary>
public abstract class DecimationMap
{
    /// <summary>The family this map acts on.</summary>
    public abstract ChainFamily Family { get; }

    /// <summary>R_b(θ): one decimation by scale factor <paramref name="scaleFactor"/> ≥ 2.</summary>
    /// <exception cref="ModelDomainException">θ is outside the family's domain.</exception>
    /// <exception cref="ArgumentOutOfRangeException">b &lt; 2.</exception>
    public RgStep Step(ChainParameters theta, int scaleFactor, int stepIndex = 1)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        if (theta.Family != Family) throw new ArgumentException($"this map acts on {Family.Name}; got {theta.Family.Name}.", nameof(theta));
        theta.Validate();
        return StepCore(theta, scaleFactor, stepIndex);
    }

    /// <summary>
    /// The stable fixed point θ*(θ0) that the flow from θ0 reaches (docs/theory.md, "Decimation and its fixed points"): K* = 0 and η*
    /// the single-site member whose moments E T(x) equal those of θ0's marginal.
    /// </summary>
    public ChainParameters StableFixedPoint(ChainParameters theta0)
    {
        theta0.Validate();
        return StableFixedPointCore(theta0);
    }

    /// <summary>The unstable fixed points of R_b (at infinite correlation length), with their stability analysis.</summary>
    public abstract IReadOnlyList<FixedPointReport> UnstableFixedPoints(int scaleFactor);

    /// <summary>The family-specific decimation.</summary>
    protected abstract RgStep StepCore(ChainParameters theta, int scaleFactor, int stepIndex);

    /// <summary>The family-specific fixed point.</summary>
    protected abstract ChainParameters StableFixedPointCore(ChainParameters theta0);

    /// <summary>
    /// The map of <paramref name="family"/>: closed forms for Ising and Gaussian chains, otherwise
    /// the kernel power on a grid with the M-projection back onto the family.
    /// </summary>
    public static DecimationMap For(ChainFamily family, GridOptions? grid = null) => (family, grid?.PreferNumeric == true) switch
    {
        (IsingFamily, false) => IsingDecimation.Instance,
        (GaussianFamily, false) => GaussianDecimation.Instance,
        (BernoulliFamily, false) => BernoulliDecimation.Instance,
        _ => new GridDecimation(family, grid),
    };
}
