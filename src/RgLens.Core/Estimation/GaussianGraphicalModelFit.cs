namespace RgLens.Estimation;

/// <summary>
/// A Gaussian graphical model fitted to the units of a layer (docs/theory.md, "Readings and estimators", "order-free measures
/// of coupling"): the sample mean and covariance Σ (maximum likelihood, divided by the number of
/// samples), the precision Q = Σ⁻¹, the pairwise couplings J_ij = −Q_ij (the Gaussian analogue of
/// the Ising J: p(z) ∝ exp(−½ Σ Q_ii z_i² + Σ_{i&lt;j} J_ij z_i z_j + …)), the largest |J_ij| and the
/// multi-information (total correlation) of the units, ½ Σ ln Σ_ii − ½ ln det Σ (nats), which is 0
/// exactly for independent units.
/// </summary>
/// <param name="Samples">Number of samples (rows) used.</param>
/// <param name="Units">Number of units (columns).</param>
/// <param name="Means">The sample mean of each unit.</param>
/// <param name="Covariance">Σ, units × units.</param>
/// <param name="Precision">Q = Σ⁻¹, units × units.</param>
/// <param name="Couplings">J_ij = −Q_ij off the diagonal, 0 on it.</param>
/// <param name="StrongestPair">The unit pair (i &lt; j, 0-based) with the largest |J_ij|.</param>
/// <param name="MaxAbsCoupling">max_{i&lt;j} |J_ij| with its bootstrap interval (name <c>max_abs_coupling</c>).</param>
/// <param name="MultiInformation">The total correlation in nats with its bootstrap interval (name <c>multi_information</c>).</param>
/// <param name="ConfidenceLevel">Nominal coverage of the intervals.</param>
/// <param name="Replicates">Bootstrap replicates drawn (0: intervals are NaN).</param>
/// <param name="Warnings">Plain-language warnings.</param>
public sealed record GaussianGraphicalModelFit(
    int Samples,
    int Units,
    double[] Means,
    double[,] Covariance,
    double[,] Precision,
    double[,] Couplings,
    (int I, int J) StrongestPair,
    ParameterEstimate MaxAbsCoupling,
    ParameterEstimate MultiInformation,
    double ConfidenceLevel,
    int Replicates,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The partial correlation of units i and j given all others: J_ij / √(Q_ii Q_jj).</summary>
    public double PartialCorrelation(int i, int j) => i == j ? 1.0 : Couplings[i, j] / Math.Sqrt(Precision[i, i] * Precision[j, j]);

    /// <summary>J_{i,i+1} for i = 0 … M − 2: the couplings along the index order (a chain reading of the units).</summary>
    public double[] NeighbourCouplings() => Enumerable.Range(0, Units - 1).Select(i => Couplings[i, i + 1]).ToArray();
}
