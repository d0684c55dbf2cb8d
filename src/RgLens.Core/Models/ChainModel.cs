namespace RgLens.Models;

/// <summary>
/// A finite chain of <see cref="Length"/> sites drawn from the family member
/// <see cref="Parameters"/>, with the given <see cref="Boundary"/> (docs/theory.md, "Chain families").
/// </summary>
/// <param name="Parameters">The characteristic parameters θ.</param>
/// <param name="Length">The number of sites N (at least 2).</param>
/// <param name="Boundary">Periodic ring or open chain.</param>
public sealed record ChainModel(ChainParameters Parameters, int Length, Boundary Boundary = Boundary.Periodic)
{
    /// <summary>The family of <see cref="Parameters"/>.</summary>
    public ChainFamily Family => Parameters.Family;

    /// <summary>The number of nearest-neighbour bonds: N for a ring, N − 1 for an open chain.</summary>
    public int BondCount => Boundary == Boundary.Periodic ? Length : Length - 1;

    /// <summary>Checks N ≥ 2 and the parameters' domain; returns this model.</summary>
    /// <exception cref="ModelDomainException">The chain is too short or θ is out of domain.</exception>
    public ChainModel Validated()
    {
        if (Length < 2) throw new ModelDomainException($"a chain needs N >= 2 sites; got N={Length}.");
        Parameters.Validate();
        return this;
    }

    /// <summary>A compact description, e.g. <c>ising(K=0.7, h=0) N=64 periodic</c>.</summary>
    public string Describe() => $"{Parameters.Describe()} N={Length} {Boundary.ToString().ToLowerInvariant()}";
}
