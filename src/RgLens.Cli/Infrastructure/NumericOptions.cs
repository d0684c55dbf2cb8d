using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace RgLens.Cli.Infrastructure;

/// <summary>
/// One rule for every numeric option of every command: values are read with the invariant
/// culture, a '.' decimal point and no thousands separators, whatever the machine's locale.
/// System.CommandLine's own parsing accepts group separators, so <c>--K 1,5</c> would silently
/// become 15; here it is a usage error naming the option. <see cref="ApplyTo"/> walks the whole
/// command tree once, so options declared anywhere (including ones added later) are covered.
/// NaN and ±Infinity still parse; each command's domain check rejects them with its own message.
/// </summary>
public static class NumericOptions
{
    private const NumberStyles Real = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private const NumberStyles Whole = NumberStyles.AllowLeadingSign;

    /// <summary>Installs the invariant parser on every numeric option of <paramref name="command"/> and its subcommands.</summary>
    public static void ApplyTo(Command command)
    {
        foreach (var option in command.Options) Apply(option);
        foreach (var sub in command.Subcommands) ApplyTo(sub);
    }

    private static void Apply(Option option)
    {
        switch (option)
        {
            case Option<double> o when o.CustomParser is null: o.CustomParser = r => Parse(r, o.Name, ParseReal) ?? 0; break;
            case Option<double?> o when o.CustomParser is null: o.CustomParser = r => Parse(r, o.Name, ParseReal); break;
            case Option<float> o when o.CustomParser is null: o.CustomParser = r => (float?)Parse(r, o.Name, ParseSingle) ?? 0; break;
            case Option<float?> o when o.CustomParser is null: o.CustomParser = r => (float?)Parse(r, o.Name, ParseSingle); break;
            case Option<int> o when o.CustomParser is null: o.CustomParser = r => (int?)Parse(r, o.Name, ParseInt32) ?? 0; break;
            case Option<int?> o when o.CustomParser is null: o.CustomParser = r => (int?)Parse(r, o.Name, ParseInt32); break;
            case Option<long> o when o.CustomParser is null: o.CustomParser = r => (long?)Parse(r, o.Name, ParseInt64) ?? 0; break;
            case Option<long?> o when o.CustomParser is null: o.CustomParser = r => (long?)Parse(r, o.Name, ParseInt64); break;
        }
    }

    /// <summary>Parses a real number the way every option does (exposed for tests and non-option inputs).</summary>
    public static bool TryParseReal(string text, out double value) =>
        double.TryParse(text, Real, CultureInfo.InvariantCulture, out value);

    private static T? Parse<T>(ArgumentResult result, string name, Func<string, (T? Value, string? Error)> parse) where T : struct
    {
        if (result.Tokens.Count != 1)
        {
            result.AddError($"{name} takes exactly one value.");
            return null;
        }
        string text = result.Tokens[0].Value;
        var (value, error) = parse(text);
        if (error is null) return value;
        result.AddError($"{name}: cannot read '{text}' as {error}.");
        return null;
    }

    private static (double?, string?) ParseReal(string text) =>
        TryParseReal(text, out double v) ? (v, null)
            : (null, "a number; write it with a '.' decimal point and no thousands separators (e.g. 1.5, 1e-3, -0.5)");

    private static (double?, string?) ParseSingle(string text)
    {
        var (v, error) = ParseReal(text);
        if (error is not null) return (null, error);
        float f = (float)v!.Value;
        return float.IsInfinity(f) && !double.IsInfinity(v.Value) ? (null, "a single-precision number (|x| <= 3.4e38)") : (f, null);
    }

    private static (long?, string?) ParseInt64(string text) =>
        long.TryParse(text, Whole, CultureInfo.InvariantCulture, out long v) ? (v, null)
            : (null, $"a whole number in [{long.MinValue}, {long.MaxValue}] without separators (e.g. 100000)");

    private static (int?, string?) ParseInt32(string text) =>
        int.TryParse(text, Whole, CultureInfo.InvariantCulture, out int v) ? (v, null)
            : (null, $"a whole number in [{int.MinValue}, {int.MaxValue}] without separators (e.g. 100000)");
}
