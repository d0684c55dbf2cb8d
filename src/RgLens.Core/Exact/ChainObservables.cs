namespace RgLens.Exact;

/// <summary>
/// Exact thermodynamics of a chain (docs/theory.md, "Transfer matrices and exact oracles"), from its transfer kernel: ln Z, free energy
/// per site f = −ln Z / N (in units of k_B T), the site-averaged mean ⟨x⟩ (the magnetization m
/// for Ising), the second moment ⟨x²⟩, the bond-averaged nearest-neighbour correlation
/// ⟨x_i x_{i+1}⟩, and the correlation length ξ = 1/ln(λ_0/|λ_1|).
/// </summary>
/// <param name="LogPartition">ln Z_N for a finite chain; null for the infinite chain.</param>
/// <param name="LogPartitionPerSite">ln Z_N / N (finite) or ln λ_0 (infinite).</param>
/// <param name="Mean">Site-averaged ⟨x_i⟩.</param>
/// <param name="SecondMoment">Site-averaged ⟨x_i²⟩.</param>
/// <param name="NearestNeighbour">Bond-averaged ⟨x_i x_{i+1}⟩.</param>
/// <param name="CorrelationLength">ξ in lattice units; a property of the transfer kernel, the same for finite and infinite chains.</param>
public sealed record ChainObservables(
    double? LogPartition,
    double LogPartitionPerSite,
    double Mean,
    double SecondMoment,
    double NearestNeighbour,
    double CorrelationLength)
{
    /// <summary>f = −ln Z / N: the dimensionless free energy per site.</summary>
    public double FreeEnergyPerSite => -LogPartitionPerSite;

    /// <summary>Var x_i (site-averaged for an open chain, so not exactly the variance of one site there).</summary>
    public double Variance => SecondMoment - Mean * Mean;
}
