using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.Nn;
using Spectre.Console;

namespace RgLens.Cli.Commands.Correspond;

/// <summary>The terminal summary of a correspondence run: the verdict table, the flows and the trends.</summary>
public static class Summary
{
    /// <summary>Writes the summary.</summary>
    public static void Write(CliContext ctx, CorrespondenceResult r, string folder, double seconds)
    {
        var star = r.Rg.Flow.FixedPoint;
        ctx.Output.WriteLine($"input {r.Config.Theta0.Describe()}, N = {r.Config.Length}; stable fixed point θ* = ({string.Join(", ", star.Names.Zip(star.Values, (n, v) => $"{n}={Views.Cell(v)}"))})");
        var table = new Table().Title("verdicts (a: feature vs θ*, b: feature vs R_b(θ0), c: layer l vs R_2^l(θ0))");
        foreach (var h in new[] { "", "objective", "reading", "b", "layer", "param", "network [CI]", "RG target", "within CI", "difference" })
            table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var v in r.Verdicts)
        {
            var m = v.Verdict.Measured;
            table.AddRow(
                v.Kind, NnNames.Name(v.Objective), CorrespondenceJson.Name(v.Reading), v.Compression.ToString(), v.Layer.ToString(), Markup.Escape(v.Parameter),
                Markup.Escape($"{Views.Short(m.Estimate)} [{Views.Short(m.Lower)}, {Views.Short(m.Upper)}]"),
                Views.Short(v.Verdict.Target),
                v.Verdict.Within ? "yes" : "no",
                Markup.Escape(double.IsNaN(v.Verdict.StandardErrors) ? Views.Short(v.Verdict.Difference) : $"{Views.Short(v.Verdict.Difference)} ({v.Verdict.StandardErrors:F1} se)"));
        }
        ctx.Console.Write(table);
        foreach (var f in r.Flows) ctx.Output.WriteLine($"layer-wise flow ({NnNames.Name(f.Objective)}, {CorrespondenceJson.Name(f.Reading)}): {f.Text}");
        foreach (var t in r.Trends) ctx.Output.WriteLine($"along training ({NnNames.Name(t.Objective)}, {CorrespondenceJson.Name(t.Reading)}): {t.Text}");
        int within = r.Verdicts.Count(v => v.Verdict.Within);
        ctx.Output.WriteLine($"{within} of {r.Verdicts.Count} comparisons within their {r.Config.ConfidenceLevel:P0} intervals; {seconds:F1} s; results in {folder}");
    }
}
