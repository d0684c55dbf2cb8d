using RgLens.Estimation;
using RgLens.Models;

namespace RgLens.Probes;

/// <summary>Settings of a layer probe.</summary>
public sealed record ProbeOptions
{
    /// <summary>Boundary condition assumed for the units in index order (the experiment uses the input's).</summary>
    public Boundary Boundary { get; init; } = Boundary.Periodic;

    /// <summary>Estimator of the chain parameters.</summary>
    public EstimationMethod Method { get; init; } = EstimationMethod.MaximumLikelihood;

    /// <summary>Bootstrap settings of the chain fit.</summary>
    public FitOptions Fit { get; init; } = new();

    /// <summary>Seed of the stochastic reading's draws.</summary>
    public ulong ReadingSeed { get; init; } = 1;

    /// <summary>Whether to fit the all-pairs model (cost O(n M³) per layer).</summary>
    public bool AllPairs { get; init; } = true;

    /// <summary>L2 penalty of the all-pairs pseudo-likelihood.</summary>
    public double Regularization { get; init; } = PairwisePseudoLikelihood.DefaultRegularization;
}
