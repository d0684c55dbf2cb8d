namespace RgLens.Models;

/// <summary>The single-site support of a chain family (docs/theory.md, "Chain families", the table's "support" column).</summary>
public enum SupportKind
{
    /// <summary>Spins {−1, +1} (Ising).</summary>
    Spins,

    /// <summary>Occupations {0, 1} (Bernoulli, lattice gas).</summary>
    Binary,

    /// <summary>The real line ℝ (Gaussian, φ⁴).</summary>
    Real,

    /// <summary>The counts ℕ = {0, 1, 2, …} (Poisson).</summary>
    Counts,

    /// <summary>The positive reals (0, ∞) (Gamma).</summary>
    PositiveReal,
}
