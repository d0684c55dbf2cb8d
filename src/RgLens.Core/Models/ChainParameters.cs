using System.Globalization;

namespace RgLens.Models;

/// <summary>
/// The characteristic parameters θ = (K, η) of one member of a <see cref="ChainFamily"/>
/// (docs/theory.md, "Chain families"): the nearest-neighbour coupling K and the natural parameters η of the
/// single-site statistics. Immutable; concrete families expose them under their physics names
/// (e.g. <see cref="IsingParameters"/>).
/// </summary>
public abstract record ChainParameters
{
    /// <summary>The family this point belongs to.</summary>
    public abstract ChainFamily Family { get; }

    /// <summary>The nearest-neighbour coupling K.</summary>
    public abstract double NeighbourCoupling { get; }

    /// <summary>The natural parameters η, paired with the family's statistics T.</summary>
    public abstract double[] NaturalParameters();

    /// <summary>The user-facing values in the order of <see cref="ChainFamily.Parameters"/>.</summary>
    public abstract double[] Values();

    /// <summary>Throws <see cref="ModelDomainException"/> when θ is outside the family's domain.</summary>
    public abstract void Validate();

    /// <summary>
    /// The one-line reason θ lies outside the family's normalizable domain, or null when it lies
    /// inside. Families override it to avoid an exception; the default asks <see cref="Validate"/>.
    /// </summary>
    public virtual string? DomainViolation()
    {
        try
        {
            Validate();
            return null;
        }
        catch (ModelDomainException e)
        {
            return e.Message;
        }
    }

    /// <summary>Whether θ lies inside the family's normalizable domain.</summary>
    public bool IsInDomain => DomainViolation() is null;

    /// <summary>The value of the user-facing parameter called <paramref name="name"/>.</summary>
    public double this[string name]
    {
        get
        {
            var ps = Family.Parameters;
            for (int i = 0; i < ps.Count; i++)
                if (ps[i].Name == name) return Values()[i];
            throw new ArgumentException($"{Family.Name} has no parameter '{name}'.", nameof(name));
        }
    }

    /// <summary>A compact description, e.g. <c>ising(K=0.7, h=0.2)</c>.</summary>
    public string Describe()
    {
        double[] v = Values();
        var parts = Family.Parameters.Select((p, i) => $"{p.Name}={v[i].ToString("G6", CultureInfo.InvariantCulture)}");
        return $"{Family.Name}({string.Join(", ", parts)})";
    }

    /// <summary>Throws <see cref="ModelDomainException"/> with <see cref="DomainViolation"/>'s message when there is one.</summary>
    protected void ThrowIfOutsideDomain()
    {
        if (DomainViolation() is string message) throw new ModelDomainException(message);
    }

    /// <summary>The message of a non-finite parameter, or null when <paramref name="value"/> is finite.</summary>
    protected string? NonFinite(double value, string name) => double.IsFinite(value)
        ? null
        : $"{Family.Name} parameter {name} must be a finite number; got {value.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>A parameter value for a message: shortest round-trip form, invariant culture.</summary>
    protected static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Throws unless <paramref name="value"/> is a finite number.</summary>
    protected void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ModelDomainException($"{Family.Name} parameter {name} must be a finite number; got {value.ToString(CultureInfo.InvariantCulture)}.");
    }
}
