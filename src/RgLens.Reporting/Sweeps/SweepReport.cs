using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using RgLens.Claims;
using RgLens.IO;
using RgLens.Sweeps;

namespace RgLens.Reporting.Sweeps;

/// <summary>
/// The report of a sweep: for each headline claim (primary objective and reading), a heatmap of the
/// effect (estimate − target) over the first two axes with more than one value, each cell labelled
/// with its verdict, and a line plot of the effect against the first such axis with its interval
/// (one line per value of the second); then the table of every cell's verdicts. report.html embeds
/// the figures; each is also written as PNG and SVG.
/// </summary>
public static class SweepReport
{
    private const int Width = 900, Height = 560;

    /// <summary>Writes the figures and report.html into the sweep folder; returns the file names.</summary>
    public static IReadOnlyList<string> Write(SweepSummary s, string folder, string commandLine)
    {
        var files = new List<string>();
        var figures = new List<(string Name, string Caption, byte[] Png)>();
        var varying = s.Axes.Where(a => a.Values.Count > 1).ToArray();
        var primary = s.Rows.Where(r => r.Primary && r.Status == "ok").ToArray();
        var claims = primary.Select(r => r.Claim).Distinct().ToArray();
        string fixedNote = FixedNote(s, varying);
        foreach (string claim in claims)
        {
            var rows = primary.Where(r => r.Claim == claim && r.Verdict != Verdicts.NotApplicable).ToArray();
            if (rows.Length == 0) continue;
            double margin = rows.Select(r => r.Margin).FirstOrDefault(double.IsFinite, 0.1);
            if (varying.Length >= 2)
            {
                var (ax, ay) = (varying[0], varying[1]);
                var values = new double[ay.Values.Count, ax.Values.Count];
                var labels = new string[ay.Values.Count, ax.Values.Count];
                for (int y = 0; y < ay.Values.Count; y++)
                    for (int x = 0; x < ax.Values.Count; x++)
                    {
                        var row = rows.FirstOrDefault(r => At(r, ax, ax.Values[x]) && At(r, ay, ay.Values[y]) && OthersAtFirst(r, s.Axes, ax, ay));
                        values[y, x] = row?.Effect ?? double.NaN;
                        labels[y, x] = row is null ? "" : Short(row.Verdict);
                    }
                var chart = new GridChart
                {
                    Title = $"{claim}: estimate − target",
                    XLabel = ax.Name,
                    YLabel = ay.Name,
                    XCategories = ax.Values,
                    YCategories = ay.Values,
                    Values = values,
                    Labels = labels,
                    Scale = 3 * margin,
                };
                string name = $"heatmap-{claim}";
                chart.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
                byte[] png = chart.ToPng(Width, Height);
                AtomicFile.WriteAllBytes(Path.Combine(folder, name + ".png"), png);
                figures.Add((name, $"{claim}: the deciding comparison's estimate − target in each cell (blue: below the target, orange: above, white: on it; full colour at ±3δ = ±{F(3 * margin)}), labelled with the verdict (holds, FAILS, ?: inconclusive, =ctrl: indistinguishable from control).{fixedNote}", png));
            }
            if (varying.Length >= 1)
            {
                var ax = varying[0];
                bool numeric = SweepTable.IsNumeric(ax);
                var chart = new LineChart
                {
                    Title = $"{claim}: estimate − target against {ax.Name}",
                    XLabel = ax.Name,
                    YLabel = "estimate − target",
                    XCategories = numeric ? null : ax.Values,
                    HorizontalLines = [-margin, 0, margin],
                };
                var series = varying.Length >= 2 ? varying[1].Values.Take(6).Select(v => (Label: $"{varying[1].Name} = {v}", Filter: (Func<SweepRow, bool>)(r => At(r, varying[1], v)))).ToArray()
                    : [(Label: "trained", Filter: (Func<SweepRow, bool>)(_ => true))];
                string[] palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
                for (int k = 0; k < series.Length; k++)
                {
                    var points = ax.Values.Select((v, i) => (X: numeric ? double.Parse(v, CultureInfo.InvariantCulture) : i,
                        Row: rows.FirstOrDefault(r => At(r, ax, v) && series[k].Filter(r) && OthersAtFirst(r, s.Axes, ax, varying.Length >= 2 ? varying[1] : ax)))).Where(p => p.Row is not null).ToArray();
                    chart.Add(new ChartSeries(series[k].Label, points.Select(p => p.X).ToArray(), points.Select(p => p.Row!.Effect).ToArray(),
                        points.Select(p => (p.Row!.CiHigh - p.Row.CiLow) / 2).ToArray(), Color: palette[k % palette.Length]));
                }
                string name = $"line-{claim}";
                chart.SaveSvg(Path.Combine(folder, name + ".svg"), Width, Height);
                byte[] png = chart.ToPng(Width, Height);
                AtomicFile.WriteAllBytes(Path.Combine(folder, name + ".png"), png);
                figures.Add((name, $"{claim}: estimate − target with its interval against {ax.Name} (grey: 0 and the margin ±δ).{fixedNote}", png));
            }
        }
        foreach (var f in figures) { files.Add(f.Name + ".png"); files.Add(f.Name + ".svg"); }
        AtomicFile.WriteAllText(Path.Combine(folder, "report.html"), Html(s, figures, commandLine));
        files.Add("report.html");
        return files;
    }

    private static string FixedNote(SweepSummary s, SweepAxis[] varying)
    {
        var others = varying.Skip(2).ToArray();
        return others.Length == 0 ? "" : " Other axes at their first value: " + string.Join(", ", others.Select(a => $"{a.Name} = {a.Values[0]}")) + ".";
    }

    private static bool At(SweepRow r, SweepAxis axis, string value) => r.Coordinates.Any(c => c.Axis == axis.Name && c.Value == value);

    private static bool OthersAtFirst(SweepRow r, IReadOnlyList<SweepAxis> axes, SweepAxis a, SweepAxis b) =>
        axes.Where(x => x.Name != a.Name && x.Name != b.Name).All(x => At(r, x, x.Values[0]));

    private static string Short(string verdict) => verdict switch
    {
        Verdicts.Holds => "holds",
        Verdicts.Fails => "FAILS",
        Verdicts.IndistinguishableFromControl => "=ctrl",
        Verdicts.Inconclusive => "?",
        _ => "n/a",
    };

    private static string Html(SweepSummary s, IReadOnlyList<(string Name, string Caption, byte[] Png)> figures, string commandLine)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>RgLens sweep report</title>\n<style>\n")
         .Append("body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1b1b1b; }\n")
         .Append("table { border-collapse: collapse; font-size: 0.85em; } th, td { border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: left; }\n")
         .Append("td.holds { color: #0b6b2f; font-weight: bold; } td.fails { color: #a11d1d; font-weight: bold; } td.indistinguishable_from_control { color: #8a5a00; }\n")
         .Append("figure img { max-width: 100%; height: auto; } .note { color: #555; font-size: 0.9em; }\n</style>\n</head>\n<body>\n");
        h.Append("<h1>Sweep: where does the network land on the RG fixed point?</h1>\n");
        h.Append($"<p>{s.Cells.Count} cells over {E(string.Join(" × ", s.Axes.Select(a => $"{a.Name} ({a.Values.Count})")))}; {s.Ok} finished, {s.Failed} failed, {s.Missing} missing; executor {E(s.Executor)}{(s.JobId is null ? "" : $" (job {E(s.JobId)})")}.</p>\n");
        var claims = s.Rows.Where(r => r.Primary && r.Status == "ok").Select(r => r.Claim).Distinct().ToArray();
        h.Append("<h2 id=\"verdicts\">Verdicts per cell (primary objective and reading)</h2>\n<table>\n<thead><tr><th>cell</th>");
        foreach (var a in s.Axes) h.Append($"<th>{E(a.Name)}</th>");
        foreach (var c in claims) h.Append($"<th>{E(c)}</th>");
        h.Append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < s.Cells.Count; i++)
        {
            var cell = s.Cells[i];
            h.Append($"<tr><td>{cell.Index}</td>");
            foreach (var (_, v) in cell.Coordinates) h.Append($"<td>{E(v)}</td>");
            var result = s.Results[i];
            if (result is null || result.Status != "ok")
            {
                h.Append($"<td colspan=\"{Math.Max(1, claims.Length)}\">{E(result is null ? "missing" : "failed: " + result.Error)}</td></tr>\n");
                continue;
            }
            foreach (var c in claims)
            {
                var row = result.Rows.FirstOrDefault(r => r.Primary && r.Claim == c);
                h.Append(row is null ? "<td></td>" : $"<td class=\"{row.Verdict}\">{E(row.Verdict.Replace('_', ' '))} ({F(row.Estimate)} vs {F(row.Target)})</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</tbody>\n</table>\n<h2 id=\"figures\">Figures</h2>\n");
        foreach (var f in figures)
            h.Append($"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(f.Png)}\" width=\"{Width}\" height=\"{Height}\" alt=\"{E(f.Name)}\"><figcaption>{E(f.Caption)} Files: <a href=\"{f.Name}.png\">{f.Name}.png</a>, <a href=\"{f.Name}.svg\">{f.Name}.svg</a>.</figcaption></figure>\n");
        h.Append($"<p class=\"note\">Every row is in results.csv and results.parquet beside this file; per-cell status and timing in sweep.json. Command: <code>{E(commandLine)}</code>. Version {E(RunManifest.Version)}.</p>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("G3", CultureInfo.InvariantCulture) : "n/a";

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
