namespace RgLens.Estimation;

/// <summary>How characteristic parameters are estimated from samples (docs/theory.md, "Estimators").</summary>
public enum EstimationMethod
{
    /// <summary>Exact maximum likelihood through the transfer matrix (concave in θ).</summary>
    MaximumLikelihood,

    /// <summary>
    /// Maximum pseudo-likelihood: the product of each site's conditional given its neighbours
    /// (Besag 1975; for inverse Ising, Aurell and Ekeberg, PRL 108, 090201, 2012).
    /// </summary>
    PseudoLikelihood,
}
