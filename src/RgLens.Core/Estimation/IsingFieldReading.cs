namespace RgLens.Estimation;

/// <summary>One ridge-penalized maximum-likelihood fit of the Ising chain with per-site fields.</summary>
/// <param name="Coupling">The common nearest-neighbour coupling K.</param>
/// <param name="Fields">The fitted fields: one entry (the common h) for the homogeneous model, one per site otherwise.</param>
/// <param name="MeanLogLikelihood">The mean log-likelihood per sample ℓ at the fit, without the ridge penalty.</param>
/// <param name="Converged">Whether Newton's method reached a gradient below 1e-10 within 200 iterations.</param>
public sealed record IsingFieldFit(double Coupling, IReadOnlyList<double> Fields, double MeanLogLikelihood, bool Converged);

/// <summary>
/// Both field models fitted to one data set, the likelihood-ratio test of equal fields, and
/// bootstrap standard errors.
/// </summary>
/// <param name="Homogeneous">The fit with one field shared by all sites (Fields has one entry).</param>
/// <param name="PerUnit">The fit with a free field per site (Fields has M entries).</param>
/// <param name="LikelihoodRatio">2 n (ℓ_perUnit − ℓ_homogeneous), clamped at 0.</param>
/// <param name="DegreesOfFreedom">M − 1, the extra parameters of the per-unit model.</param>
/// <param name="HomogeneityP">Upper tail of χ² with M − 1 degrees of freedom at the likelihood ratio.</param>
/// <param name="HomogeneousCouplingSe">Bootstrap standard error of the homogeneous model's K; NaN with fewer than 2 replicates.</param>
/// <param name="HomogeneousFieldSe">Bootstrap standard error of the homogeneous model's h; NaN with fewer than 2 replicates.</param>
/// <param name="PerUnitCouplingSe">Bootstrap standard error of the per-unit model's K; NaN with fewer than 2 replicates.</param>
/// <param name="Magnetizations">The site means m_j of the data.</param>
/// <param name="Samples">Number of samples (rows).</param>
public sealed record IsingFieldReading(
    IsingFieldFit Homogeneous,
    IsingFieldFit PerUnit,
    double LikelihoodRatio,
    int DegreesOfFreedom,
    double HomogeneityP,
    double HomogeneousCouplingSe,
    double HomogeneousFieldSe,
    double PerUnitCouplingSe,
    IReadOnlyList<double> Magnetizations,
    int Samples);
