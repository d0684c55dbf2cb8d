using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using RgLens.Estimation;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Reporting.Correspondence;

/// <summary>
/// The report of a correspondence run (issue 4): report.html, self-contained (figures embedded as
/// PNG data URIs, no network access), opening with the verdict table, then the layer-wise flow and
/// training trends, the figures (also written beside it as PNG and SVG), the RG side, the networks,
/// the combined estimates and the configuration. Reads only the <see cref="CorrespondenceResult"/>.
/// </summary>
public static class CorrespondenceReport
{
    /// <summary>Figure size in pixels.</summary>
    public const int Width = 900, Height = 520;

    /// <summary>Writes report.html and the figures into <paramref name="folder"/>; returns the file names written.</summary>
    public static IReadOnlyList<string> Write(CorrespondenceResult result, string folder, string commandLine)
    {
        var files = new List<string>();
        var figures = CorrespondenceFigures.All(result);
        var png = new Dictionary<string, byte[]>();
        foreach (var f in figures)
        {
            png[f.Name] = f.Chart.ToPng(Width, Height);
            AtomicFile.WriteAllBytes(Path.Combine(folder, f.Name + ".png"), png[f.Name]);
            f.Chart.SaveSvg(Path.Combine(folder, f.Name + ".svg"), Width, Height);
            files.Add(f.Name + ".png");
            files.Add(f.Name + ".svg");
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "report.html"), Html(result, figures, png, commandLine));
        files.Add("report.html");
        return files;
    }

    /// <summary>The HTML document.</summary>
    public static string Html(CorrespondenceResult r, IReadOnlyList<ReportFigure> figures, IReadOnlyDictionary<string, byte[]> png, string commandLine)
    {
        var h = new StringBuilder();
        var c = r.Config;
        var star = r.Rg.Flow.FixedPoint;
        int within = r.Verdicts.Count(v => v.Verdict.Within);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<title>RgLens correspondence report</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        h.Append("<h1>Does the trained network land on the RG fixed point?</h1>\n");
        h.Append("<p class=\"lede\">Input ").Append(E(c.Theta0.Describe())).Append($", N = {c.Length} ({Name(c.Boundary)}). Stable fixed point θ*(θ0) = (")
         .Append(E(string.Join(", ", star.Names.Zip(star.Values, (n, v) => $"{n} = {F(v)}")))).Append("). ")
         .Append($"<strong>{within} of {r.Verdicts.Count}</strong> comparisons have the RG value within the network's {Pct(c.ConfidenceLevel)} interval.</p>\n");

        h.Append("<h2 id=\"verdicts\">Verdicts</h2>\n<p class=\"note\">(a) feature layer vs θ*(θ0); (b) feature layer of the pyramid with compression b vs R_b(θ0); (c) layer l of the deepest pyramid vs R_2^l(θ0). Intervals combine seeds (Student t over seeds; one seed: bootstrap over samples). A reading of another family than the input's is compared on its coupling against K* = 0 only.</p>\n");
        h.Append("<table class=\"verdicts\">\n<thead><tr><th>cmp</th><th>objective</th><th>reading</th><th>b</th><th>layer</th><th>param</th><th>network</th><th>interval</th><th>RG target</th><th>within</th><th>difference</th><th>verdict</th></tr></thead>\n<tbody>\n");
        foreach (var v in r.Verdicts)
        {
            var m = v.Verdict.Measured;
            h.Append($"<tr class=\"{(v.Verdict.Within ? "in" : "out")}\"><td>{v.Kind}</td><td>{E(NnNames.Name(v.Objective))}</td><td>{E(CorrespondenceJson.Name(v.Reading))}</td><td>{v.Compression}</td><td>{v.Layer}</td><td>{E(v.Parameter)}</td>")
             .Append($"<td>{F(m.Estimate)}</td><td>[{F(m.Lower)}, {F(m.Upper)}]</td><td>{F(v.Verdict.Target)}</td><td>{(v.Verdict.Within ? "yes" : "no")}</td>")
             .Append($"<td>{F(v.Verdict.Difference)}{(double.IsNaN(v.Verdict.StandardErrors) ? "" : $" ({v.Verdict.StandardErrors.ToString("F1", Inv)} se)")}</td><td>{E(v.Verdict.Text)}</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n<h3>Layer-wise flow and training</h3>\n<ul>\n");
        foreach (var f in r.Flows) h.Append($"<li><strong>{E(NnNames.Name(f.Objective))}, {E(CorrespondenceJson.Name(f.Reading))}</strong>: {E(f.Text)} (steps: {E(string.Join(", ", f.Steps))}).</li>\n");
        foreach (var t in r.Trends) h.Append($"<li><strong>(d) {E(NnNames.Name(t.Objective))}, {E(CorrespondenceJson.Name(t.Reading))}</strong>: {E(t.Text)}.</li>\n");
        h.Append("</ul>\n");

        h.Append("<h2 id=\"figures\">Figures</h2>\n");
        foreach (var f in figures)
            h.Append($"<figure id=\"fig-{f.Name}\"><img src=\"data:image/png;base64,{Convert.ToBase64String(png[f.Name])}\" width=\"{Width}\" height=\"{Height}\" alt=\"{E(f.Chart.Title)}\">")
             .Append($"<figcaption>{E(f.Caption)} Files: <a href=\"{f.Name}.png\">{f.Name}.png</a>, <a href=\"{f.Name}.svg\">{f.Name}.svg</a>.</figcaption></figure>\n");

        AppendRg(h, r);
        AppendNetworks(h, r);
        AppendCombined(h, r);
        h.Append("<h2 id=\"configuration\">Configuration</h2>\n<table class=\"plain\">\n");
        foreach (var (key, value) in CorrespondenceJson.Config(c))
            h.Append($"<tr><th>{E(key)}</th><td>{E(value?.ToJsonString(JsonOutput.Options).Replace("\n", " ") ?? "null")}</td></tr>\n");
        h.Append($"<tr><th>command line</th><td><code>{E(commandLine)}</code></td></tr>\n<tr><th>version</th><td>{E(RunManifest.Version)}</td></tr>\n");
        h.Append($"<tr><th>kernel path</th><td>{E(r.KernelPath)}</td></tr>\n<tr><th>timings (s)</th><td>{E(string.Join(", ", r.Timings.Select(t => $"{t.Key} {t.Value:F1}")))}</td></tr>\n</table>\n");
        h.Append("<p class=\"note\">Every number here is in run.json beside this file; re-running the command line above with the same seed reproduces them.</p>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void AppendRg(StringBuilder h, CorrespondenceResult r)
    {
        var names = r.Config.Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        h.Append("<h2 id=\"rg\">RG side</h2>\n<table class=\"plain\">\n<thead><tr><th>step (b = 2)</th>");
        foreach (var n in names) h.Append($"<th>{E(n)}</th>");
        h.Append("<th>g</th><th>projection residual</th></tr></thead>\n<tbody>\n");
        foreach (var s in r.Rg.Flow.Steps)
        {
            h.Append($"<tr><td>{s.Step}</td>");
            foreach (double v in s.Parameters.Values()) h.Append($"<td>{F(v)}</td>");
            h.Append($"<td>{F(s.LogScale)}</td><td>{F(s.ProjectionResidual)}</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n<ul>\n");
        foreach (var (b, p) in r.Rg.ByCompression.OrderBy(p => p.Key)) h.Append($"<li>R_{b}(θ0) = {E(p.Describe())}</li>\n");
        h.Append($"<li>stable fixed point θ*(θ0): {E(r.Rg.Flow.FixedPoint.Classification)}</li>\n");
        foreach (var u in r.Rg.Flow.UnstableFixedPoints)
            h.Append($"<li>unstable fixed point ({E(string.Join(", ", u.Names.Zip(u.Values, (n, v) => $"{n} = {F(v)}")))}): {E(u.Classification)}</li>\n");
        h.Append("</ul>\n");
    }

    private static void AppendNetworks(StringBuilder h, CorrespondenceResult r)
    {
        h.Append("<h2 id=\"networks\">Networks</h2>\n<table class=\"plain\">\n<thead><tr><th>objective</th><th>b</th><th>seed</th><th>widths</th><th>epochs</th><th>best epoch</th><th>best validation loss</th><th>stop</th><th>steps</th><th>seconds</th></tr></thead>\n<tbody>\n");
        foreach (var n in r.Runs)
            h.Append($"<tr><td>{E(NnNames.Name(n.Objective))}</td><td>{n.Compression}</td><td>{n.SeedIndex}</td><td>{string.Join("-", n.Widths)}</td><td>{n.Training.Epochs}</td><td>{n.Training.BestEpoch}</td>")
             .Append($"<td>{F(n.Training.BestValidationLoss)}</td><td>{E(n.Training.StopReason.ToString())}</td><td>{n.Training.Steps}</td><td>{n.Training.Seconds.ToString("F2", Inv)}</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
    }

    private static void AppendCombined(StringBuilder h, CorrespondenceResult r)
    {
        h.Append("<h2 id=\"combined\">Layers, combined over seeds</h2>\n<table class=\"plain\">\n<thead><tr><th>objective</th><th>b</th><th>layer</th><th>reading</th><th>parameters</th><th>max |J_ij|</th><th>multi-information (nats)</th></tr></thead>\n<tbody>\n");
        foreach (var c in r.Combined)
            h.Append($"<tr><td>{E(NnNames.Name(c.Objective))}</td><td>{c.Compression}</td><td>{c.Layer}</td><td>{E(CorrespondenceJson.Name(c.Reading))}</td>")
             .Append($"<td>{E(string.Join("; ", c.Parameters.Select(Estimate)))}</td><td>{(c.MaxAbsCoupling is null ? "-" : E(Estimate(c.MaxAbsCoupling)))}</td><td>{E(Estimate(c.MultiInformation))}</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
    }

    private static string Estimate(ParameterEstimate e) => $"{e.Name} = {F(e.Estimate)} [{F(e.Lower)}, {F(e.Upper)}]";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string F(double v) => double.IsPositiveInfinity(v) ? "∞" : double.IsNegativeInfinity(v) ? "−∞" : double.IsNaN(v) ? "n/a" : v.ToString("G4", Inv);

    private static string Pct(double level) => (level * 100).ToString("G3", Inv) + "%";

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string Name(Models.Boundary b) => b.ToString().ToLowerInvariant();

    private const string Css = """
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1b1b1b; line-height: 1.45; }
        h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
        .lede { font-size: 1.1em; } .note { color: #555; font-size: 0.9em; }
        table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
        th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        thead th { background: #f3f3f3; }
        tr.in td { background: #eef8ee; } tr.out td { background: #fbeeee; }
        figure { margin: 2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.9em; color: #333; }
        code { font-size: 0.9em; }

        """;
}
