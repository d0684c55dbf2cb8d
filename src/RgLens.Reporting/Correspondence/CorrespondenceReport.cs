using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using RgLens.Claims;
using RgLens.Comparison;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Reporting.Correspondence;

/// <summary>
/// The report of a correspondence run: report.html, self-contained (figures embedded as PNG data
/// URIs, no network access), opening with the claims table (verdict, trained estimate, controls,
/// target, one sentence), then the summary figure, then every comparison, the detailed figures
/// (also written beside it as PNG and SVG), the readings per layer, the RG side, the networks, the
/// statistical procedure and the configuration. Reads only the <see cref="CorrespondenceResult"/>.
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
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<title>RgLens correspondence report</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        h.Append("<h1>Does the trained network land on the RG fixed point?</h1>\n");
        h.Append("<p class=\"lede\">Input ").Append(E(c.Theta0.Describe())).Append($", N = {c.Length} ({Name(c.Boundary)}). Stable fixed point θ*(θ0) = (")
         .Append(E(string.Join(", ", star.Names.Zip(star.Values, (n, v) => $"{n} = {F(v)}")))).Append("). ")
         .Append(E($"{c.Seeds} seed(s) per objective and compression; networks trained on {c.TrainingSource} data, read beside the controls {(c.Controls.Count == 0 ? "(none)" : string.Join(" and ", c.Controls.Select(Palette.Label)))}; margin δ = {F(c.Margin)}; {Pct(c.ConfidenceLevel)} intervals."))
         .Append("</p>\n");
        if (c.UserFit is { } fit)
        {
            h.Append("<p class=\"lede\">θ0 fitted to <code>").Append(E(fit.Path)).Append($"</code> ({c.UserData!.Rows} samples; {c.EffectiveProbeSamples} held out to read the layers): ")
             .Append(E(string.Join(", ", fit.Fit.Estimates.Select(e => $"{e.Name} = {F(e.Estimate)} [{F(e.Lower)}, {F(e.Upper)}]")))).Append(". Goodness of fit, connected correlation at distance r (measured vs the fitted chain): ")
             .Append(E(string.Join("; ", fit.Correlations.Select(k => $"r = {k.Distance}: {F(k.Measured)} ± {F(k.StandardError)} vs {F(k.Predicted)}")))).Append(". The RG targets carry θ0's uncertainty.</p>\n");
            foreach (string w in fit.Warnings) h.Append("<p class=\"lede\"><strong>Warning:</strong> ").Append(E(w)).Append("</p>\n");
        }

        AppendClaims(h, r);
        var summary = figures[0];
        AppendFigure(h, summary, png);
        AppendAllClaims(h, r);
        h.Append("<h2 id=\"figures\">Figures</h2>\n");
        foreach (var f in figures.Skip(1)) AppendFigure(h, f, png);
        AppendReadings(h, r);
        AppendRg(h, r);
        AppendNetworks(h, r);
        h.Append("<h2 id=\"statistics\">How the verdicts are reached</h2>\n<p class=\"note\">").Append(E(StatisticsNote(r))).Append("</p>\n");
        h.Append("<h2 id=\"configuration\">Configuration</h2>\n<table class=\"plain\">\n");
        foreach (var (key, value) in CorrespondenceJson.Config(c))
            h.Append($"<tr><th>{E(key)}</th><td>{E(value?.ToJsonString(JsonOutput.Options).Replace("\n", " ") ?? "null")}</td></tr>\n");
        h.Append($"<tr><th>command line</th><td><code>{E(commandLine)}</code></td></tr>\n<tr><th>version</th><td>{E(RunManifest.Version)}</td></tr>\n");
        h.Append($"<tr><th>kernel path</th><td>{E(r.KernelPath)}</td></tr>\n<tr><th>timings (s)</th><td>{E(string.Join(", ", r.Timings.Select(t => $"{t.Key} {t.Value:F1}")))}</td></tr>\n</table>\n");
        h.Append("<p class=\"note\">Every number here is in run.json beside this file; re-running the command line above with the same seed reproduces them.</p>\n</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>The statistical procedure in words (also in docs/theory-choices.md).</summary>
    public static string StatisticsNote(CorrespondenceResult r) =>
        $"Per network, each quantity comes with a bootstrap standard error over the probe samples ({r.Config.BootstrapReplicates} replicates). " +
        "Networks of different seeds are combined by a random-effects model (DerSimonian–Laird between-seed variance; Hartung–Knapp standard error floored at the fixed-effect one; t with S − 1 degrees of freedom), " +
        "so the interval holds both the sampling noise and the spread between initializations; a single seed cannot estimate the latter and can never support 'holds'. " +
        "A seed whose fit gave no finite estimate is a failed fit: excluded from the mean, counted, and it blocks 'holds'. " +
        $"Each comparison is a two one-sided test against target ± δ (δ = {F(r.Config.Margin)}) and its mirror-image minimal-effect test, both reported so that, for one comparison, 'holds' means the {Pct(r.Config.ConfidenceLevel)} interval lies inside the margin and 'fails' that it lies outside. " +
        "The comparisons of the trained networks form two families for Holm's adjustment: the primary objective and reading (the headline) and all the others; the controls are judged by the same comparisons unadjusted. " +
        "A claim holds when all its comparisons hold, fails when any fails; a claim that holds for the trained networks and for a control is indistinguishable from control. " +
        "The binary readings' coupling K is that of an Ising chain with one field per unit; the field h is the homogeneous chain's, checked by a likelihood-ratio test against per-unit fields (χ² with units − 1 degrees of freedom).";

    private static void AppendFigure(StringBuilder h, ReportFigure f, IReadOnlyDictionary<string, byte[]> png) =>
        h.Append($"<figure id=\"fig-{f.Name}\"><img src=\"data:image/png;base64,{Convert.ToBase64String(png[f.Name])}\" width=\"{Width}\" height=\"{Height}\" alt=\"{E(f.Chart.Title)}\">")
         .Append($"<figcaption>{E(f.Caption)} Files: <a href=\"{f.Name}.png\">{f.Name}.png</a>, <a href=\"{f.Name}.svg\">{f.Name}.svg</a>.</figcaption></figure>\n");

    private static void AppendClaims(StringBuilder h, CorrespondenceResult r)
    {
        var c = r.Config;
        h.Append($"<h2 id=\"claims\">Claims ({E(NnNames.Name(c.Objectives[0]))}, {E(c.Readings[0])} reading)</h2>\n");
        h.Append("<table class=\"claims\">\n<thead><tr><th>claim</th><th>verdict</th><th>trained</th><th>target</th>");
        foreach (var k in c.Controls) h.Append($"<th>{E(Palette.Label(k))}</th>");
        h.Append("<th>in one sentence</th></tr></thead>\n<tbody>\n");
        foreach (var o in r.Headline)
        {
            var d = o.Trained.Deciding;
            int index = d is null ? -1 : o.Trained.Tests.ToList().IndexOf(d);
            h.Append($"<tr class=\"{o.Verdict}\"><td>{E(o.Title)}</td><td class=\"verdict\">{E(o.Verdict.Replace('_', ' '))}</td>");
            h.Append($"<td>{(d is null ? "–" : E(Interval(d.Test)))}</td><td>{(d is null ? "–" : E(Target(d.Test)))}</td>");
            foreach (var k in c.Controls)
            {
                var ko = o.Control(k);
                h.Append(ko is null || index < 0 || index >= ko.Tests.Count ? $"<td>{E(ko?.Verdict.Replace('_', ' ') ?? "–")}</td>"
                    : $"<td>{E(Interval(ko.Tests[index].Test))}<br><em>{E(ko.Verdict.Replace('_', ' '))}</em></td>");
            }
            h.Append($"<td>{E(o.Sentence)}</td></tr>\n");
        }
        h.Append("</tbody>\n</table>\n");
    }

    private static void AppendAllClaims(StringBuilder h, CorrespondenceResult r)
    {
        h.Append("<h2 id=\"comparisons\">Every claim and comparison</h2>\n<p class=\"note\">All objectives and readings; p: two one-sided (equivalence) test, p diff: minimal-effect test; Holm-adjusted over the trained comparisons of the headline (primary objective and reading) or of all the others. Controls: unadjusted.</p>\n");
        h.Append("<table class=\"plain\">\n<thead><tr><th>claim</th><th>objective</th><th>reading</th><th>verdict</th><th>comparison</th><th>trained [CI]</th><th>target</th><th>p (Holm)</th><th>p diff (Holm)</th><th>seeds (failed)</th><th>controls</th></tr></thead>\n<tbody>\n");
        foreach (var o in r.Claims)
        {
            if (o.Trained.Tests.Count == 0)
            {
                h.Append($"<tr><td>{E(o.Claim)}</td><td>{E(NnNames.Name(o.Objective))}</td><td>{E(o.Reading)}</td><td>{E(o.Verdict.Replace('_', ' '))}</td><td colspan=\"7\">{E(o.Trained.NotApplicableBecause ?? "")}</td></tr>\n");
                continue;
            }
            for (int i = 0; i < o.Trained.Tests.Count; i++)
            {
                var t = o.Trained.Tests[i];
                string controls = string.Join("; ", o.Controls.Select(k => i < k.Tests.Count ? $"{Palette.Label(k.Condition)}: {Interval(k.Tests[i].Test)} {k.Tests[i].Verdict}" : $"{Palette.Label(k.Condition)}: {k.Verdict.Replace('_', ' ')}"));
                h.Append($"<tr><td>{(i == 0 ? E(o.Claim) : "")}</td><td>{E(NnNames.Name(o.Objective))}</td><td>{E(o.Reading)}</td><td>{(i == 0 ? $"<strong>{E(o.Verdict.Replace('_', ' '))}</strong> / " : "")}{E(t.Verdict)}</td>")
                 .Append($"<td>{E(t.Test.Label)}</td><td>{E(Interval(t.Test))}</td><td>{E(Target(t.Test))}</td><td>{F(t.PEquivalence)} ({F(t.PEquivalenceHolm)})</td><td>{F(t.PDifference)} ({F(t.PDifferenceHolm)})</td>")
                 .Append($"<td>{t.Test.Combined.Seeds} ({t.Test.Combined.FailedFits})</td><td>{E(controls)}{(t.Test.HoldsBlockedBecause is { } why ? $"<br><em>cannot hold: {E(why)}</em>" : "")}</td></tr>\n");
            }
        }
        h.Append("</tbody>\n</table>\n");
    }

    private static void AppendReadings(StringBuilder h, CorrespondenceResult r)
    {
        var ctx = r.Context;
        h.Append("<h2 id=\"readings\">Layers, combined over seeds</h2>\n<p class=\"note\">Gauge-fixed readings. K: Ising chain with per-unit fields (ρ: copula neighbour correlation for the continuous reading); h: homogeneous chain; homogeneity: seeds in which one common field is rejected against per-unit fields at level α; magnetizations: range of the per-unit means over seeds.</p>\n");
        h.Append("<table class=\"plain\">\n<thead><tr><th>condition</th><th>objective</th><th>b</th><th>layer</th><th>reading</th><th>coupling [CI]</th><th>h [CI]</th><th>homogeneity rejected</th><th>unit means</th><th>multi-information (nats)</th><th>max |J_ij|</th></tr></thead>\n<tbody>\n");
        foreach (string id in r.ConditionIds)
            foreach (var objective in r.Config.Objectives)
                foreach (int b in ctx.Compressions)
                    for (int l = 1; l <= CorrespondenceConfig.FeatureLayer(b); l++)
                        foreach (string reading in r.Config.Readings)
                        {
                            var per = ctx.PerSeed(id, objective, reading, b, l);
                            if (per.All(m => m is null)) continue;
                            var k = RandomEffects.Combine(per.Select(m => m?.Coupling).ToArray(), r.Config.ConfidenceLevel);
                            var hs = per.Any(m => m?.Field is not null)
                                ? RandomEffects.Combine(per.Select(m => m?.Field).ToArray(), r.Config.ConfidenceLevel) : null;
                            int rejected = per.Count(m => m?.HomogeneityP is double p && p < ctx.Alpha);
                            var means = per.Where(m => m is not null).SelectMany(m => m!.UnitMeans).ToArray();
                            var mi = per.Where(m => m is not null).Select(m => m!.MultiInformation).ToArray();
                            var j = per.Where(m => m?.MaxAbsCoupling is not null).Select(m => m!.MaxAbsCoupling!.Value).ToArray();
                            h.Append($"<tr><td>{E(Palette.Label(id))}</td><td>{E(NnNames.Name(objective))}</td><td>{b}</td><td>{l}</td><td>{E(reading)}</td>")
                             .Append($"<td>{E(Interval(k))}</td><td>{(hs is null ? "–" : E(Interval(hs)))}</td><td>{(per.Any(m => m?.HomogeneityP is not null) ? $"{rejected} of {per.Count}" : "–")}</td>")
                             .Append($"<td>{(means.Length == 0 ? "–" : $"{F(means.Min())} … {F(means.Max())}")}</td><td>{F(mi.DefaultIfEmpty(double.NaN).Average())}</td><td>{(j.Length == 0 ? "–" : F(j.Average()))}</td></tr>\n");
                        }
        h.Append("</tbody>\n</table>\n");
    }

    private static string Interval(ClaimTest t) => Interval(t.Combined);

    private static string Interval(SeedCombination c) => $"{F(c.Estimate)} [{F(c.Lower)}, {F(c.Upper)}]";

    private static string Target(ClaimTest t) => t.Kind == TestKind.Equivalence ? $"{F(t.Target)} ± {F(t.Margin)}" : $"< {F(t.Target)}";

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
        var trained = r.Runs.Where(n => n.Training is not null).ToArray();
        h.Append($"<h2 id=\"networks\">Networks</h2>\n<p class=\"note\">{trained.Count(n => n.Training!.Converged)} of {trained.Length} trained networks stopped early (converged); the others reached the {r.Config.Epochs}-epoch cap.</p>\n");
        h.Append("<table class=\"plain\">\n<thead><tr><th>condition</th><th>objective</th><th>b</th><th>seed</th><th>widths</th><th>epochs</th><th>best epoch</th><th>best validation loss</th><th>stop</th><th>converged</th><th>steps</th><th>seconds</th></tr></thead>\n<tbody>\n");
        foreach (var n in trained)
            h.Append($"<tr><td>{E(Palette.Label(n.Condition))}</td><td>{E(NnNames.Name(n.Objective))}</td><td>{n.Compression}</td><td>{n.SeedIndex}</td><td>{string.Join("-", n.Widths)}</td><td>{n.Training!.Epochs}</td><td>{n.Training.BestEpoch}</td>")
             .Append($"<td>{F(n.Training.BestValidationLoss)}</td><td>{E(n.Training.StopReason.ToString())}</td><td>{(n.Training.Converged ? "yes" : "no")}</td><td>{n.Training.Steps}</td><td>{n.Training.Seconds.ToString("F2", Inv)}</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
    }

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
        table.claims td.verdict { font-weight: bold; white-space: nowrap; }
        tr.holds td.verdict { color: #0b6b2f; } tr.fails td.verdict { color: #a11d1d; }
        tr.indistinguishable_from_control td.verdict { color: #8a5a00; } tr.inconclusive td.verdict { color: #555; }
        figure { margin: 2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 0.9em; color: #333; }
        code { font-size: 0.9em; }

        """;
}
