using System.Numerics;

namespace RgLens.IO;

/// <summary>
/// What every value of a data file must satisfy, checked by the readers (NPY, NPZ, CSV/text,
/// HDF5) as each chunk is read and converted into the destination matrix, so that a bad value is
/// refused when it is reached, before the rest of the file is read (docs/reliability.md, "What is
/// verified when reading files"). Converting to an integer element type also requires integral
/// values in that type's range.
/// </summary>
public sealed class ValueRule
{
    private readonly Func<double, bool>? _accepts;
    private readonly Func<double, string>? _explain;
    private readonly ValueRule? _first;

    /// <summary>A rule: <paramref name="accepts"/> says whether a value may stand; <paramref name="requirement"/> says what is required, for the message.</summary>
    public ValueRule(Func<double, bool>? accepts, string requirement)
    {
        _accepts = accepts;
        Requirement = requirement;
    }

    /// <summary>A rule whose message depends on the value refused (<paramref name="explain"/>: e.g. a hint for a 0 among spins).</summary>
    public ValueRule(Func<double, bool> accepts, string requirement, Func<double, string> explain)
        : this(accepts, requirement) => _explain = explain;

    private ValueRule(ValueRule first, ValueRule second)
        : this(second._accepts, second.Requirement)
    {
        _explain = second._explain;
        _first = first;
    }

    /// <summary>This rule, then <paramref name="next"/>: a value must pass both; the message is the first failing rule's.</summary>
    public ValueRule Then(ValueRule next) => new(this, next);

    /// <summary>Any value the element type can hold.</summary>
    public static ValueRule Any { get; } = new(null, "any value");

    /// <summary>Finite numbers (no NaN, no ±∞).</summary>
    public static ValueRule Finite { get; } = new(double.IsFinite, "data must be finite numbers");

    /// <summary>Finite and within float32's range (|x| ≤ 3.4·10³⁸), for data read into float32 (a larger double would become ∞).</summary>
    public static ValueRule FiniteSingle { get; } = new(v => double.IsFinite(v) && Math.Abs(v) <= float.MaxValue, "data must be finite float32 numbers (|x| <= 3.4e38)");

    /// <summary>Ising spins: −1 or +1.</summary>
    public static ValueRule Spins { get; } = new(v => v is 1 or -1, "Ising data must be -1 or +1");

    /// <summary>What the rule requires, e.g. "data must be finite numbers".</summary>
    public string Requirement { get; }

    /// <summary>
    /// Converts <paramref name="v"/> to <typeparamref name="T"/>, or throws naming the file, the
    /// value and where it stands (<paramref name="where"/> turns <paramref name="index"/> into
    /// "row r, column c" and is only called to build the message; one delegate serves a whole read).
    /// </summary>
    /// <exception cref="DataFormatException">The rule refuses the value, or an integer type cannot hold it.</exception>
    public T Convert<T>(double v, string name, long index, Func<long, string> where) where T : unmanaged, INumber<T>
    {
        Check(v, name, index, where);
        if (!IsFloating<T>() && (!double.IsFinite(v) || v != Math.Floor(v)
            || v < double.CreateTruncating(T.CreateSaturating(double.MinValue)) || v > double.CreateTruncating(T.CreateSaturating(double.MaxValue))))
            throw new DataFormatException($"'{name}' holds {v} at {where(index)}; expected integer values.");
        return T.CreateTruncating(v);
    }

    private void Check(double v, string name, long index, Func<long, string> where)
    {
        _first?.Check(v, name, index, where);
        if (_accepts is not null && !_accepts(v))
            throw new DataFormatException($"'{name}' holds {v} at {where(index)}; {(_explain is null ? Requirement : _explain(v))}.");
    }

    /// <summary>Whether the element type is floating point.</summary>
    public static bool IsFloating<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);
}
