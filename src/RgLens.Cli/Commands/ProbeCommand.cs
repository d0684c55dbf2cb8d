using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Models;
using RgLens.Probes;
using RgLens.Reporting;
using Spectre.Console;

namespace RgLens.Cli.Commands;

/// <summary>
/// <c>rglens probe</c>: read every layer of a network (RgLens NPZ or ONNX, e.g. exported from
/// PyTorch) on the user's data with the gauge-fixed readings of <c>correspond</c>; no training, no RG.
/// </summary>
public sealed class ProbeCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var network = new Option<string>("--network") { Description = "Network file: RgLens .npz or ONNX .onnx.", Required = true };
        var data = new Option<string>("--data") { Description = $"Input configurations: {CommonOptions.DataFiles}, samples x sites.", Required = true };
        var layers = new Option<string?>("--layers") { Description = "Comma-separated layers to read (RgLens: layer1, layer2, … or the ONNX export's layer1.act; ONNX: tensor or node names). Default: every hidden layer / every activation node." };
        var readings = new Option<string>("--readings") { Description = "Comma-separated readings: " + string.Join(", ", Readings.All.Select(r => r.Id)) + ".", DefaultValueFactory = _ => string.Join(",", Readings.All.Select(r => r.Id)) };
        var boundary = new Option<string>("--boundary") { Description = "The chain the units are read as: periodic (a ring, like a periodic input) or open.", DefaultValueFactory = _ => "periodic" };
        var replicates = new Option<int>("--replicates") { Description = "Bootstrap replicates of each within-network standard error.", DefaultValueFactory = _ => 100 };
        var output = new Option<string?>("--out") { Description = "Write run.json and report.html (with the figure as PNG and SVG) into this folder (new, empty, or a previous probe's)." };
        var force = new Option<bool>("--force") { Description = "With --out: write into an existing folder that is not a previous probe." };
        var save = new Option<string?>("--save-activations") { Description = "Write each layer's pre-activations and activations: into a folder as NPY (NAME.pre.npy, NAME.act.npy), or, for a path ending in .h5/.hdf5, into one HDF5 file (group NAME with datasets pre and act, the layer's own name in its attribute 'layer')." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var model = new Option<string?>("--model")
        {
            Description = $"Chain family ({string.Join(", ", ChainFamilies.All.Select(f => f.Name))}): fit θ0 to the data and set every layer against its RG fixed point and R_b(θ0), with the network read on null input as the control.",
        };
        var margin = new Option<double>("--margin") { Description = "With --model: the equivalence margin δ (> 0) of the comparisons.", DefaultValueFactory = _ => 0.1 };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var command = new Command("probe", "Read every layer of a trained network (RgLens or ONNX) on your data: gauge-fixed couplings, fields, homogeneity, multi-information. No training; the RG comparison with --model.");
        foreach (var o in new Option[] { network, data, layers, readings, boundary, replicates, model, margin, output, force, save, json, seed, threads }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            var chosen = Split(result.GetValue(readings)!).Select(id => Readings.Get(id)).ToArray();
            if (chosen.Length == 0) throw new UsageException("--readings: no reading given.");
            var b = result.GetValue(boundary)!.Trim().ToLowerInvariant() switch
            {
                "periodic" => Boundary.Periodic,
                "open" => Boundary.Open,
                var other => throw new UsageException($"--boundary must be periodic or open; got '{other}'."),
            };
            int reps = result.GetValue(replicates);
            if (reps < 0 || reps > 100_000) throw new UsageException($"--replicates must lie in [0, 100000]; got {reps}.");
            var family = result.GetValue(model) is { } familyName ? ChainFamilies.Find(familyName) : null;
            double delta = result.GetValue(margin);
            if (!(delta > 0) || !double.IsFinite(delta)) throw new UsageException($"--margin must be a finite number > 0; got {delta.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            // The comparisons stand on the readings' bootstrap standard errors; without them every interval would be a point.
            if (family is not null && reps < 20) throw new UsageException($"--model compares the readings by their standard errors: --replicates must be at least 20; got {reps}.");
            string? outDir = result.GetValue(output), saveDir = result.GetValue(save);
            string? dataset = null;
            bool saveHdf5 = saveDir is not null && Hdf5Matrix.IsHdf5(saveDir, out _, out dataset);
            if (saveHdf5 && dataset is not null)
                throw new UsageException($"--save-activations: name the HDF5 file alone ('{saveDir}' names a dataset inside it); each layer becomes a group.");
            // Like correspond's: a typo never writes run.json and report.html into an unrelated folder.
            if (outDir is not null) outDir = RunDirectory.Prepare(outDir, "probe", result.GetValue(force));
            if (saveDir is not null)
            {
                if (saveHdf5) OutputFolder.ForFile(saveDir, "--save-activations");
                else OutputFolder.Check(saveDir, "--save-activations");
            }
            var names = result.GetValue(layers) is { } l ? Split(l) : null;
            if (names is { Length: 0 }) throw new UsageException("--layers: no layer named; leave the option out to read every layer.");
            ulong seedValue = CommonOptions.SeedValue(result, seed);
            int threadCount = CommonOptions.ThreadsValue(result, threads);
            // θ0 is fitted before the layers are read, so that data the family cannot describe are
            // refused at once. The fit reads the file in double and lets that copy go before the
            // float32 copy the network reads is loaded: one copy of the data in memory at a time.
            var targets = family is null ? null
                : ProbeRgComparison.Prepare(result.GetValue(data)!, SampleFiles.Load<double>(result.GetValue(data)!, ValueRule.FiniteSingle), family, b, Math.Max(reps, 20), seedValue);
            var x = SampleFiles.Load<float>(result.GetValue(data)!, ValueRule.FiniteSingle);
            var probed = NetworkProbeRun.Run(result.GetValue(network)!, x, names, chosen, b, reps, seedValue, threadCount, ctx.Cancellation);
            ProbeRgComparison? rg = null;
            if (targets is not null)
            {
                var nullInput = ProbeRgComparison.NullSamples(targets, x.Rows, seedValue, threadCount, ctx.Cancellation);
                var nullProbed = NetworkProbeRun.Run(result.GetValue(network)!, nullInput, probed.Select(p => p.Name).ToArray(), chosen, b, reps, seedValue, threadCount, ctx.Cancellation);
                rg = ProbeRgComparison.Compare(targets, x.Columns, probed, nullProbed, delta, 0.95, seedValue);
            }
            var payload = new JsonObject
            {
                ["network"] = result.GetValue(network),
                ["data"] = result.GetValue(data),
                ["samples"] = x.Rows,
                ["boundary"] = b.ToString().ToLowerInvariant(),
                ["layers"] = new JsonArray(probed.Select(p => (JsonNode?)new JsonObject
                {
                    ["name"] = p.Name,
                    ["operation"] = p.Operation,
                    ["units"] = p.Measurement.Width,
                    ["shape"] = new JsonArray(p.Shape.Select(s => (JsonNode?)s).ToArray()),
                    ["channels"] = p.Channels is { } c
                        ? new JsonObject { ["channels"] = c.Channels, ["sites"] = c.Sites, ["layout"] = c.OrderName }
                        : null,
                    ["gauge"] = new JsonObject
                    {
                        ["order"] = new JsonArray(p.Measurement.Gauge.Order.Select(v => (JsonNode?)v).ToArray()),
                        ["signs"] = new JsonArray(p.Measurement.Gauge.Signs.Select(v => (JsonNode?)v).ToArray()),
                    },
                    ["readings"] = new JsonArray(p.Measurement.Readings.Select(m => (JsonNode?)CorrespondenceJson.Measurement(m)).ToArray()),
                }).ToArray()),
                ["rg"] = rg is null ? null : CorrespondenceJson.ProbeComparison(rg),
            };
            payload["out"] = outDir;
            payload["activations"] = saveDir;
            if (saveDir is not null) SaveActivations(saveDir, saveHdf5, probed);
            if (outDir is not null)
            {
                var manifest = new RunManifest("probe", ctx.CommandLine, seedValue);
                manifest.Parameters["network"] = result.GetValue(network);
                manifest.Parameters["data"] = result.GetValue(data);
                manifest.Parameters["layers"] = names is null ? null : new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
                manifest.Parameters["readings"] = new JsonArray(chosen.Select(r => (JsonNode?)r.Id).ToArray());
                manifest.Parameters["boundary"] = b.ToString().ToLowerInvariant();
                manifest.Parameters["replicates"] = reps;
                manifest.Parameters["model"] = family?.Name;
                manifest.Parameters["margin"] = family is null ? null : delta;
                manifest.Parameters["threads"] = threadCount;
                WriteFolder(outDir, manifest, payload, probed, chosen, rg);
            }
            ctx.Publish();
            if (result.GetValue(json)) CliJson.Write(ctx, "probe", payload);
            else
            {
                var table = new Table().Title(Markup.Escape($"{probed.Count} layer(s) of {result.GetValue(network)} on {x.Rows} samples (gauge-fixed; 95 % within-network intervals)"));
                foreach (var h in new[] { "layer", "units", "reading", "coupling [CI]", "h [CI]", "one field? (LR p)", "unit means", "multi-info" })
                    table.AddColumn(new TableColumn(Markup.Escape(h)));
                foreach (var p in probed)
                    foreach (var m in p.Measurement.Readings)
                        table.AddRow(Markup.Escape(p.Name), p.Measurement.Width.ToString(), Markup.Escape(m.Reading),
                            Markup.Escape($"{m.Coupling.Name} {Views.Short(m.Coupling.Estimate)} [{Views.Short(m.Coupling.Lower)}, {Views.Short(m.Coupling.Upper)}]"),
                            Markup.Escape(m.Field is { } f ? $"{Views.Short(f.Estimate)} [{Views.Short(f.Lower)}, {Views.Short(f.Upper)}]" : "–"),
                            Markup.Escape(m.HomogeneityP is double hp ? Views.Short(hp) : "–"),
                            Markup.Escape($"{Views.Short(m.UnitMeans.Min())} … {Views.Short(m.UnitMeans.Max())}"),
                            Views.Short(m.MultiInformation));
                ctx.Console.Write(table);
                foreach (var (layer, reading, warning) in ReadingWarnings(probed))
                    ctx.Output.WriteLine($"  warning ({layer}, {reading}): {warning}");
                if (rg is not null) ctx.Console.Write(ComparisonTable(rg));
                if (outDir is not null) ctx.Output.WriteLine($"wrote {Path.Combine(outDir, "run.json")}, report.html, coupling.png, coupling.svg");
                if (saveDir is not null) ctx.Output.WriteLine($"wrote the activations of {probed.Count} layer(s) to {saveDir}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>θ0, θ* and one row per comparison (the null input's verdict beside the data's).</summary>
    private static Table ComparisonTable(ProbeRgComparison rg)
    {
        string theta0 = string.Join(", ", rg.Fit.Fit.Estimates.Select(e => $"{e.Name} = {Views.Short(e.Estimate)} [{Views.Short(e.Lower)}, {Views.Short(e.Upper)}]"));
        var table = new Table().Title(Markup.Escape($"RG comparison: θ0 fitted ({rg.Theta0.Family.Name}: {theta0}); θ* = {rg.FixedPoint.Describe()}; margin δ = {Views.Short(rg.Margin)}; Holm over {rg.Comparisons.Count} comparisons; about this network only"));
        foreach (var h in new[] { "layer", "reading", "comparison", "estimate [95 % CI, target SE incl.]", "target ± SE", "p within δ (Holm)", "p outside δ (Holm)", "null input", "verdict" })
            table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var c in rg.Comparisons)
        {
            var t = c.Trained.Test;
            table.AddRow(Markup.Escape(c.Layer), Markup.Escape(c.Reading), Markup.Escape(c.Claim),
                Markup.Escape($"{Views.Short(t.Combined.Estimate)} [{Views.Short(t.TestInterval.Lower)}, {Views.Short(t.TestInterval.Upper)}]"),
                Markup.Escape($"{Views.Short(t.Target)} ± {Views.Short(t.TargetStandardError)}"),
                Views.Short(c.Trained.PEquivalenceHolm), Views.Short(c.Trained.PDifferenceHolm),
                Markup.Escape($"{Views.Short(c.NullInput.Test.Combined.Estimate)}: {c.NullInput.Verdict}"), Markup.Escape(c.Verdict));
        }
        foreach (var w in rg.Fit.Warnings) table.Caption(Markup.Escape("warning: " + w));
        return table;
    }

    private static void WriteFolder(string dir, RunManifest manifest, JsonObject payload, IReadOnlyList<ProbedLayer> probed, IReadOnlyList<IReading> readings, ProbeRgComparison? rg)
    {
        OutputFolder.CreateTracked(dir);
        var chart = new LineChart { Title = "Gauge-fixed coupling per layer", XLabel = "layer", YLabel = "K (binary readings) or ρ (continuous)", IntegerX = true, HorizontalLines = [0] };
        string[] palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"];
        for (int k = 0; k < readings.Count; k++)
        {
            var ms = probed.Select((p, i) => (X: i + 1.0, M: p.Measurement.Readings.First(m => m.Reading == readings[k].Id))).ToArray();
            chart.Add(new ChartSeries(readings[k].Id, ms.Select(m => m.X + (k - (readings.Count - 1) / 2.0) * 0.06).ToArray(), ms.Select(m => m.M.Coupling.Estimate).ToArray(),
                ms.Select(m => double.IsFinite(m.M.Coupling.Upper) ? (m.M.Coupling.Upper - m.M.Coupling.Lower) / 2 : double.NaN).ToArray(), Color: palette[k % palette.Length]));
        }
        byte[] png = chart.ToPng(900, 520);
        AtomicFile.WriteAllBytes(Path.Combine(dir, "coupling.png"), png);
        chart.SaveSvg(Path.Combine(dir, "coupling.svg"), 900, 520);
        foreach (var (key, value) in payload.ToArray()) manifest.Results[key] = value?.DeepClone();
        manifest.Write(Path.Combine(dir, "run.json"));
        var rows = string.Concat(probed.SelectMany(p => p.Measurement.Readings.Select(m =>
            $"<tr><td>{E(p.Name)}</td><td>{E(p.Operation)}</td><td>{p.Measurement.Width}</td><td>{E(m.Reading)}</td><td>{E($"{m.Coupling.Name} = {Views.Short(m.Coupling.Estimate)} [{Views.Short(m.Coupling.Lower)}, {Views.Short(m.Coupling.Upper)}]")}</td><td>{E(m.Field is { } f ? $"{Views.Short(f.Estimate)} [{Views.Short(f.Lower)}, {Views.Short(f.Upper)}]" : "–")}</td><td>{E(m.HomogeneityP is double hp ? Views.Short(hp) : "–")}</td><td>{E(Views.Short(m.MultiInformation))}</td></tr>\n")));
        string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>RgLens probe</title>\n<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em} table{border-collapse:collapse;font-size:.85em} th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left} img{max-width:100%;height:auto}</style>\n</head>\n<body>\n"
            + $"<h1>Layers of {E(payload["network"]!.ToString())}</h1>\n<p>{payload["samples"]} samples of {E(payload["data"]!.ToString())}, units read as a {payload["boundary"]} chain after the sign and order gauge (docs/theory-choices.md).</p>\n"
            + "<table>\n<thead><tr><th>layer</th><th>operation</th><th>units</th><th>reading</th><th>coupling [95 % CI]</th><th>h (homogeneous)</th><th>LR p, one field</th><th>multi-information</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n"
            + string.Concat(ReadingWarnings(probed).Select(w => $"<p><strong>Warning</strong> ({E(w.Layer)}, {E(w.Reading)}): {E(w.Warning)}</p>\n"))
            + (rg is null ? "" : ComparisonHtml(rg))
            + $"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"900\" height=\"520\" alt=\"coupling per layer\"><figcaption>The gauge-fixed coupling of each layer in each reading with its within-network interval. Files: <a href=\"coupling.png\">coupling.png</a>, <a href=\"coupling.svg\">coupling.svg</a>.</figcaption></figure>\n"
            + $"<p>Command: <code>{E(manifest.CommandLine)}</code>; every number is in run.json.</p>\n</body>\n</html>\n";
        AtomicFile.WriteAllText(Path.Combine(dir, "report.html"), html);
    }

    private static string ComparisonHtml(ProbeRgComparison rg)
    {
        var rows = string.Concat(rg.Comparisons.Select(c =>
        {
            var t = c.Trained.Test;
            return $"<tr><td>{E(c.Layer)}</td><td>{E(c.Reading)}</td><td>{E(t.Label)}</td><td>{E($"{Views.Short(t.Combined.Estimate)} [{Views.Short(t.TestInterval.Lower)}, {Views.Short(t.TestInterval.Upper)}]")}</td><td>{E($"{Views.Short(t.Target)} ± {Views.Short(t.TargetStandardError)}")}</td><td>{E(Views.Short(c.Trained.PEquivalenceHolm))}</td><td>{E(Views.Short(c.Trained.PDifferenceHolm))}</td><td>{E($"{Views.Short(c.NullInput.Test.Combined.Estimate)}: {c.NullInput.Verdict}")}</td><td>{E(c.Verdict)}</td></tr>\n";
        }));
        string theta0 = string.Join(", ", rg.Fit.Fit.Estimates.Select(e => $"{e.Name} = {Views.Short(e.Estimate)} [{Views.Short(e.Lower)}, {Views.Short(e.Upper)}]"));
        string warnings = string.Concat(rg.Fit.Warnings.Select(w => $"<p><strong>Warning:</strong> {E(w)}</p>\n"));
        return $"<h2>RG comparison</h2>\n<p>θ0 fitted to the data ({E(rg.Theta0.Family.Name)}): {E(theta0)}; its stable fixed point θ* = {E(rg.FixedPoint.Describe())}. Each comparison is an equivalence test with margin δ = {E(Views.Short(rg.Margin))} and a difference test, Holm-adjusted over the {rg.Comparisons.Count} comparisons; the target's uncertainty from θ0's is added in quadrature. The control is the same network read on null input ({E(rg.NullInput)}). The tests concern this network: the variance between initializations is unknown (<code>rglens correspond</code> measures it).</p>\n{warnings}"
            + "<table>\n<thead><tr><th>layer</th><th>reading</th><th>comparison</th><th>estimate [95 % CI, the target's SE included]</th><th>target ± SE</th><th>p, within the margin (equivalence, Holm)</th><th>p, outside the margin (minimal effect, Holm)</th><th>null input</th><th>verdict</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
    }

    /// <summary>
    /// Each layer's pre-activations and activations as float32 samples × units (a flattened
    /// layer's shape is in run.json): NPY files in a folder, or one HDF5 file with a group per
    /// layer. File and group names are the layer's name with anything but letters, digits and
    /// "_-." replaced by '_' (ONNX names hold '/'); the HDF5 group keeps the name in 'layer'.
    /// </summary>
    private static void SaveActivations(string path, bool hdf5, IReadOnlyList<ProbedLayer> probed)
    {
        var stems = probed.Select(p => new string(p.Name.Select(ch => char.IsLetterOrDigit(ch) || ch is '_' or '-' or '.' ? ch : '_').ToArray())).ToArray();
        // Two names that sanitize alike ("a/b" and "a_b") would overwrite each other: number them.
        for (int i = 0; i < stems.Length; i++)
            if (stems[..i].Contains(stems[i]) || stems[i] is "." or "..") stems[i] += "_" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (hdf5)
        {
            Hdf5Matrix.Write(path, probed.Select((p, i) => new Hdf5MatrixGroup(stems[i],
                [new("layer", p.Name), new("operation", p.Operation)],
                [new("pre", p.PreActivations), new("act", p.Activations)])).ToArray());
            return;
        }
        OutputFolder.CreateTracked(path);
        for (int i = 0; i < probed.Count; i++)
        {
            Npy.WriteMatrix(Path.Combine(path, stems[i] + ".pre.npy"), probed[i].PreActivations);
            Npy.WriteMatrix(Path.Combine(path, stems[i] + ".act.npy"), probed[i].Activations);
        }
    }

    /// <summary>Every reading's warnings, layer by layer (saturated or constant units, a singular correlation matrix, skipped fits).</summary>
    private static IEnumerable<(string Layer, string Reading, string Warning)> ReadingWarnings(IReadOnlyList<ProbedLayer> probed) =>
        probed.SelectMany(p => p.Measurement.Readings.SelectMany(m => m.Warnings.Select(w => (p.Name, m.Reading, w))));

    private static string E(string s) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(s);

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

}
