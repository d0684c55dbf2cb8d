using System.Globalization;

namespace RgLens.Sweeps;

/// <summary>
/// One axis of a sweep: a name (a parameter of the model family, <c>N</c>, <c>b</c>,
/// <c>objective</c>, <c>seed</c>) and its values, kept as text exactly as they will be applied and
/// written to the results.
/// </summary>
/// <param name="Name">The axis name.</param>
/// <param name="Values">Its values, in order.</param>
public sealed record SweepAxis(string Name, IReadOnlyList<string> Values)
{
    /// <summary>
    /// Parses <c>NAME=v1,v2,…</c> or <c>NAME=start:stop:count</c> (count evenly spaced values,
    /// both ends included; numbers in the invariant culture).
    /// </summary>
    /// <exception cref="ArgumentException">Malformed text (one line).</exception>
    public static SweepAxis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"--axis '{text}' must look like NAME=v1,v2 or NAME=start:stop:count.");
        string name = text[..eq].Trim(), spec = text[(eq + 1)..].Trim();
        if (spec.Length == 0) throw new ArgumentException($"--axis {name} has no values.");
        string[] values;
        if (spec.Contains(':'))
        {
            var parts = spec.Split(':');
            if (parts.Length != 3) throw new ArgumentException($"--axis {name}={spec}: a range is start:stop:count.");
            double a = Number(name, parts[0]), b = Number(name, parts[1]);
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
                throw new ArgumentException($"--axis {name}={spec}: the count '{parts[2]}' must be a whole number >= 1.");
            if (count > 1_000_000) throw new ArgumentException($"--axis {name}={spec}: {count} values is more than any sweep can run.");
            values = Enumerable.Range(0, count).Select(i => Format(count == 1 ? a : a + (b - a) * i / (count - 1))).ToArray();
        }
        else
        {
            values = spec.Split(',', StringSplitOptions.TrimEntries);
            if (values.Any(v => v.Length == 0)) throw new ArgumentException($"--axis {name}={spec} has an empty value.");
        }
        if (values.Distinct(StringComparer.Ordinal).Count() != values.Length) throw new ArgumentException($"--axis {name} lists a value twice.");
        return new SweepAxis(name, values);
    }

    /// <summary>A number as the results write it: shortest round-trip form, invariant culture.</summary>
    public static string Format(double v)
    {
        double r = Math.Round(v, 12);
        return (r == 0 ? 0 : r).ToString("R", CultureInfo.InvariantCulture);
    }

    internal static double Number(string axis, string text)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new ArgumentException($"--axis {axis}: '{text}' is not a finite number.");
        return v;
    }
}
