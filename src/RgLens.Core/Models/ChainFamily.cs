namespace RgLens.Models;

/// <summary>
/// A family of nearest-neighbour chains (docs/theory.md, "Chain families"):
/// p_θ(x) = (1/Z) Π_i ν(x_i) · exp( Σ_i η·T(x_i) + K Σ_⟨i,i+1⟩ x_i x_{i+1} ),
/// defined by its single-site support, base measure ν and sufficient statistics T. A member of the
/// family is a <see cref="ChainParameters"/> θ = (K, η). Every stage of RgLens (exact solution,
/// sampling, RG, estimation, probing) works on this abstraction; the Ising chain is its first
/// member and supplies closed forms where they exist.
/// </summary>
public abstract class ChainFamily
{
    /// <summary>The name used on the command line (<c>--model ising</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The single-site support.</summary>
    public abstract SupportKind Support { get; }

    /// <summary>The user-facing parameters in their canonical order.</summary>
    public abstract IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>The number of single-site sufficient statistics, dim T.</summary>
    public abstract int StatisticCount { get; }

    /// <summary>ln ν(x), the log base measure of one site.</summary>
    public abstract double LogBaseMeasure(double x);

    /// <summary>Writes T(x) into <paramref name="statistics"/> (length <see cref="StatisticCount"/>).</summary>
    public abstract void Statistics(double x, Span<double> statistics);

    /// <summary>Whether x lies in the support (e.g. x ∈ {−1, +1} for Ising).</summary>
    public abstract bool InSupport(double x);

    /// <summary>
    /// Adds ln ν(x_j) + η·T(x_j) to <paramref name="destination"/>[j] for every x_j: the single-site
    /// log weight of many points at once (the samplers' inner loop). Families with polynomial
    /// statistics override it with vector arithmetic.
    /// </summary>
    public virtual void AddLogWeights(ReadOnlySpan<double> x, ReadOnlySpan<double> eta, Span<double> destination)
    {
        Span<double> t = stackalloc double[StatisticCount];
        for (int j = 0; j < x.Length; j++)
        {
            Statistics(x[j], t);
            double e = LogBaseMeasure(x[j]);
            for (int k = 0; k < t.Length; k++) e += eta[k] * t[k];
            destination[j] += e;
        }
    }

    /// <summary>
    /// The index j with T_j(x) = x: the statistic that the coupling adds to. Given its neighbours,
    /// site i is the single-site member with natural parameters η + K (x_{i−1} + x_{i+1}) e_j.
    /// </summary>
    public abstract int LinearStatistic { get; }

    /// <summary>
    /// The largest coupling K of the normalizable domain: 0 for families whose base measure has tails
    /// too heavy for a positive coupling (Poisson, Gamma; docs/theory.md, "Chain families"), +∞ otherwise.
    /// </summary>
    public virtual double MaximumCoupling => double.PositiveInfinity;

    /// <summary>
    /// The member with natural parameters η (paired with T) and coupling K, not validated; the
    /// inverse of <see cref="ChainParameters.NaturalParameters"/> and <see cref="ChainParameters.NeighbourCoupling"/>.
    /// </summary>
    public abstract ChainParameters FromNatural(ReadOnlySpan<double> natural, double coupling);

    /// <summary>
    /// The member with the given user-facing values (in <see cref="Parameters"/> order), checked
    /// against the family's domain.
    /// </summary>
    /// <exception cref="ModelDomainException">The point is outside the normalizable domain.</exception>
    public ChainParameters Create(ReadOnlySpan<double> values)
    {
        if (values.Length != Parameters.Count)
            throw new ArgumentException($"{Name} has {Parameters.Count} parameters ({string.Join(", ", Parameters.Select(p => p.Name))}); got {values.Length} values.", nameof(values));
        ChainParameters p = CreateCore(values);
        p.Validate();
        return p;
    }

    /// <summary>The member with the given user-facing values, or null when the point is outside the domain.</summary>
    public ChainParameters? TryCreate(ReadOnlySpan<double> values)
    {
        if (values.Length != Parameters.Count) return null;
        ChainParameters p = CreateCore(values);
        return p.IsInDomain ? p : null;
    }

    /// <summary>Builds the member without validation; <see cref="Create"/> validates it.</summary>
    protected abstract ChainParameters CreateCore(ReadOnlySpan<double> values);

    /// <inheritdoc />
    public override string ToString() => Name;
}
