using System.Text.Json.Nodes;
using RgLens.Claims;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Sweeps;

/// <summary>
/// One row of the merged sweep table: one cell × one claim (for one objective and reading), with
/// the deciding comparison's numbers and the controls' verdicts. A failed cell has one row with
/// its status and error and no claim.
/// </summary>
public sealed record SweepRow(
    int Cell,
    IReadOnlyList<(string Axis, string Value)> Coordinates,
    string Status,
    string Error,
    string Claim,
    string Objective,
    string Reading,
    bool Primary,
    string Verdict,
    string Comparison,
    double Estimate,
    double CiLow,
    double CiHigh,
    double Target,
    double Margin,
    double P,
    double PHolm,
    double PDifference,
    double PDifferenceHolm,
    string UntrainedVerdict,
    double UntrainedEstimate,
    string NullDataVerdict,
    double NullDataEstimate,
    int Seeds,
    int FailedFits,
    int Converged,
    int Networks)
{
    /// <summary>estimate − target: the signed distance from the RG prediction.</summary>
    public double Effect => Estimate - Target;

    /// <summary>The rows of one finished cell.</summary>
    public static IReadOnlyList<SweepRow> FromClaims(SweepCell cell, IReadOnlyList<ClaimOutcome> claims) =>
        claims.Select(c =>
        {
            var d = c.Trained.Deciding;
            int i = d is null ? -1 : c.Trained.Tests.ToList().IndexOf(d);
            (string, double) Control(string id)
            {
                var k = c.Control(id);
                if (k is null) return ("", double.NaN);
                return (k.Verdict, i >= 0 && i < k.Tests.Count ? k.Tests[i].Test.Combined.Estimate : double.NaN);
            }
            var (uv, ue) = Control("untrained");
            var (nv, ne) = Control("null_data");
            var t = d?.Test;
            return new SweepRow(cell.Index, cell.Coordinates, "ok", "", c.Claim, NnNames.Name(c.Objective), c.Reading, c.Primary, c.Verdict,
                t?.Label ?? "", t?.Combined.Estimate ?? double.NaN, t?.Combined.Lower ?? double.NaN, t?.Combined.Upper ?? double.NaN,
                t?.Target ?? double.NaN, t?.Margin ?? double.NaN, d?.PEquivalence ?? double.NaN, d?.PEquivalenceHolm ?? double.NaN,
                d?.PDifference ?? double.NaN, d?.PDifferenceHolm ?? double.NaN, uv, ue, nv, ne, c.Seeds, c.FailedFits, c.Converged, c.Networks);
        }).ToArray();

    /// <summary>The single row of a cell that failed.</summary>
    public static SweepRow Failed(SweepCell cell, string error) =>
        new(cell.Index, cell.Coordinates, "failed", error, "", "", "", false, "", "", double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN, double.NaN, double.NaN, "", double.NaN, "", double.NaN, 0, 0, 0, 0);

    /// <summary>The columns, in table order, after the axis columns.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "status", "error", "claim", "objective", "reading", "primary", "verdict", "comparison", "estimate", "ci_low", "ci_high", "target",
        "margin", "effect", "p", "p_holm", "p_difference", "p_difference_holm", "untrained_verdict", "untrained_estimate",
        "null_data_verdict", "null_data_estimate", "seeds", "failed_fits", "converged", "networks",
    ];

    /// <summary>The value of a column (numbers as double, counts as int, flags as bool, text as string).</summary>
    public object Value(string column) => column switch
    {
        "status" => Status,
        "error" => Error,
        "claim" => Claim,
        "objective" => Objective,
        "reading" => Reading,
        "primary" => Primary,
        "verdict" => Verdict,
        "comparison" => Comparison,
        "estimate" => Estimate,
        "ci_low" => CiLow,
        "ci_high" => CiHigh,
        "target" => Target,
        "margin" => Margin,
        "effect" => Effect,
        "p" => P,
        "p_holm" => PHolm,
        "p_difference" => PDifference,
        "p_difference_holm" => PDifferenceHolm,
        "untrained_verdict" => UntrainedVerdict,
        "untrained_estimate" => UntrainedEstimate,
        "null_data_verdict" => NullDataVerdict,
        "null_data_estimate" => NullDataEstimate,
        "seeds" => Seeds,
        "failed_fits" => FailedFits,
        "converged" => Converged,
        "networks" => Networks,
        _ => throw new ArgumentException($"no column '{column}'."),
    };

    /// <summary>As JSON (the cell files).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        foreach (string c in Columns.Where(c => c != "effect"))
            o[c] = Value(c) switch
            {
                double v => JsonOutput.Number(v),
                int v => v,
                bool v => v,
                string v => v,
                _ => null,
            };
        return o;
    }

    /// <summary>Back from a cell file.</summary>
    public static SweepRow FromJson(int cell, IReadOnlyList<(string Axis, string Value)> coordinates, JsonObject o)
    {
        string S(string k) => o[k]?.GetValue<string>() ?? "";
        double D(string k) => o[k] is JsonValue v ? (v.TryGetValue<double>(out double d) ? d : double.Parse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)) : double.NaN;
        int I(string k) => o[k]?.GetValue<int>() ?? 0;
        return new SweepRow(cell, coordinates, S("status"), S("error"), S("claim"), S("objective"), S("reading"), o["primary"]?.GetValue<bool>() ?? false,
            S("verdict"), S("comparison"), D("estimate"), D("ci_low"), D("ci_high"), D("target"), D("margin"), D("p"), D("p_holm"), D("p_difference"),
            D("p_difference_holm"), S("untrained_verdict"), D("untrained_estimate"), S("null_data_verdict"), D("null_data_estimate"),
            I("seeds"), I("failed_fits"), I("converged"), I("networks"));
    }
}
