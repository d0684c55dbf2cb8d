using RgLens.Experiments;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Reporting.Correspondence;

/// <summary>
/// The figures of the correspondence report (issue 4), built from a <see cref="CorrespondenceResult"/>
/// only: the RG flow with the network's layers overlaid, the feature coupling along training, the
/// feature coupling against compression beside the RG curve, per-layer parameters against the RG
/// iterates, the order-free measures per layer, and the loss curves. Network points carry their
/// seed-combined confidence intervals as error bars; RG curves are dashed.
/// </summary>
public static class CorrespondenceFigures
{
    /// <summary>Every figure of the report.</summary>
    public static IReadOnlyList<ReportFigure> All(CorrespondenceResult r)
    {
        var figures = new List<ReportFigure> { Flow(r) };
        var names = r.Config.Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        foreach (string name in names) figures.Add(Layers(r, name));
        figures.Add(Compression(r, names[VerdictBuilder.CouplingIndex(r.Config.Theta0)]));
        figures.Add(AlongTraining(r, names[VerdictBuilder.CouplingIndex(r.Config.Theta0)]));
        figures.Add(OrderFree(r));
        figures.Add(Losses(r));
        return figures;
    }

    private static ReportFigure Flow(CorrespondenceResult r)
    {
        var names = r.Config.Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        int k = VerdictBuilder.CouplingIndex(r.Config.Theta0);
        int other = k == 0 && names.Length > 1 ? 1 : 0;
        string kn = names[k], hn = names[other];
        var chart = new LineChart { Title = $"RG flow (b = 2) in the ({kn}, {hn}) plane and the network's layers", XLabel = $"{kn} (coupling, dimensionless)", YLabel = $"{hn} (dimensionless)" };
        var steps = r.Rg.Flow.Steps;
        chart.Add(new ChartSeries("RG: θ0, R_2(θ0), R_2²(θ0), …", steps.Select(s => s.Parameters.Values()[k]).ToArray(), steps.Select(s => s.Parameters.Values()[other]).ToArray(), Dashed: true));
        chart.Add(new ChartSeries("θ*(θ0)", [r.Rg.FixedPoint[k]], [r.Rg.FixedPoint[other]]));
        foreach (var (objective, reading, layers) in DeepestLayers(r))
        {
            if (layers.Length == 0 || layers[0].Parameters.All(p => p.Name != hn)) continue;
            chart.Add(new ChartSeries($"{NnNames.Name(objective)}, {Name(reading)}: layers 1…{layers.Length}",
                layers.Select(c => c[kn].Estimate).ToArray(), layers.Select(c => c[hn].Estimate).ToArray(), layers.Select(c => HalfWidth(c[hn])).ToArray()));
        }
        return new ReportFigure("rg-flow", $"The exact decimation flow θ0 → R_2(θ0) → … (dashed) toward the stable fixed point θ*(θ0), with the layers of the deepest pyramid (b = {r.Config.DeepestCompression}) read in each reading (points in layer order; bars: {Percent(r)} interval of {hn} over seeds).", chart);
    }

    private static ReportFigure Layers(CorrespondenceResult r, string name)
    {
        int depth = CorrespondenceConfig.FeatureLayer(r.Config.DeepestCompression);
        int index = Array.IndexOf(r.Config.Theta0.Family.Parameters.Select(p => p.Name).ToArray(), name);
        var chart = new LineChart { Title = $"{name} layer by layer against the RG iterates R_2^l(θ0)", XLabel = "layer l (width N / 2^l)", YLabel = $"{name} (dimensionless)" };
        chart.Add(new ChartSeries("RG: R_2^l(θ0)", Enumerable.Range(0, depth + 1).Select(l => (double)l).ToArray(),
            Enumerable.Range(0, depth + 1).Select(l => r.Rg.Layer(l).Values()[index]).ToArray(), Dashed: true));
        chart.Add(new ChartSeries($"fixed point {name}*", [0.0, depth], [r.Rg.FixedPoint[index], r.Rg.FixedPoint[index]], Dashed: true));
        foreach (var (objective, reading, layers) in DeepestLayers(r))
        {
            if (layers.Length == 0 || layers[0].Parameters.All(p => p.Name != name)) continue;
            chart.Add(new ChartSeries($"{NnNames.Name(objective)}, {Name(reading)}", layers.Select(c => (double)c.Layer).ToArray(),
                layers.Select(c => c[name].Estimate).ToArray(), layers.Select(c => HalfWidth(c[name])).ToArray()));
        }
        return new ReportFigure($"layers-{Slug(name)}", $"{name} of each encoder layer of the deepest pyramid (combined over {r.Config.Seeds} seed(s), bars: {Percent(r)} interval) beside the RG iterates R_2^l(θ0) (dashed) and the fixed point's value.", chart);
    }

    private static ReportFigure Compression(CorrespondenceResult r, string k)
    {
        var chart = new LineChart { Title = $"Feature-layer {k} against compression b = N/M", XLabel = "log2 b", YLabel = $"{k} (dimensionless)" };
        var bs = r.Config.Compressions.Distinct().OrderBy(b => b).ToArray();
        int ki = VerdictBuilder.CouplingIndex(r.Config.Theta0);
        var rgX = new List<double> { 0 };
        var rgY = new List<double> { r.Config.Theta0.Values()[ki] };
        foreach (int b in bs)
        {
            rgX.Add(Math.Log2(b));
            rgY.Add(r.Rg.ByCompression[b].Values()[ki]);
        }
        chart.Add(new ChartSeries("RG: R_b(θ0)", rgX, rgY, Dashed: true));
        foreach (var objective in r.Config.Objectives)
            foreach (var reading in r.Config.Readings.Where(x => Comparable(r, x)))
            {
                var points = bs.Select(b => r.Combined.FirstOrDefault(c => c.Objective == objective && c.Reading == reading && c.Compression == b && c.Layer == CorrespondenceConfig.FeatureLayer(b)))
                    .Where(c => c is not null && c.Parameters.Any(p => p.Name == k)).Select(c => c!).ToArray();
                if (points.Length == 0) continue;
                chart.Add(new ChartSeries($"{NnNames.Name(objective)}, {Name(reading)}", points.Select(c => Math.Log2(c.Compression)).ToArray(),
                    points.Select(c => c[k].Estimate).ToArray(), points.Select(c => HalfWidth(c[k])).ToArray()));
            }
        return new ReportFigure("compression", $"The feature layer's {k} for pyramids of each compression b (bars: {Percent(r)} interval over seeds) beside the RG's one-step point R_b(θ0) (dashed; at h = 0 this is atanh(tanh^b K0)).", chart);
    }

    private static ReportFigure AlongTraining(CorrespondenceResult r, string k)
    {
        var chart = new LineChart { Title = $"Feature-layer {k} along training (deepest pyramid)", XLabel = "optimizer step", YLabel = $"{k} (dimensionless)" };
        foreach (var objective in r.Config.Objectives)
            foreach (var reading in r.Config.Readings)
            {
                var traces = r.Runs.Where(n => n.Objective == objective && n.AlongTraining.Count > 0).ToArray();
                var steps = traces.SelectMany(t => t.AlongTraining.Select(c => c.Step)).Distinct().OrderBy(s => s).ToArray();
                var mean = new List<double>();
                var sd = new List<double>();
                foreach (long step in steps)
                {
                    var values = traces.Select(t => t.AlongTraining.FirstOrDefault(c => c.Step == step))
                        .Where(c => c is not null).Select(c => c!.Feature.First(f => f.Reading == reading))
                        .Where(m => m.Parameters.Any(p => p.Name == k)).Select(m => m[k].Estimate).Where(double.IsFinite).ToArray();
                    mean.Add(values.Length > 0 ? values.Average() : double.NaN);
                    sd.Add(values.Length > 1 ? Math.Sqrt(values.Sum(v => Math.Pow(v - values.Average(), 2)) / (values.Length - 1)) : 0);
                }
                if (steps.Length > 0)
                    chart.Add(new ChartSeries($"{NnNames.Name(objective)}, {Name(reading)}", steps.Select(s => (double)s).ToArray(), mean, sd));
            }
        double star = r.Rg.FixedPoint[VerdictBuilder.CouplingIndex(r.Config.Theta0)];
        long last = r.Runs.SelectMany(n => n.AlongTraining).Select(c => c.Step).DefaultIfEmpty(1).Max();
        chart.Add(new ChartSeries($"{k}* (stable fixed point)", [0.0, last], [star, star], Dashed: true));
        return new ReportFigure("along-training", $"The feature layer's {k} at checkpoints along training (mean over seeds, bars: ± one standard deviation across seeds) and the fixed point's {k}* (dashed). The distance against the loss is in the verdicts (d).", chart);
    }

    private static ReportFigure OrderFree(CorrespondenceResult r)
    {
        var chart = new LineChart { Title = "Order-free coupling per layer (deepest pyramid)", XLabel = "layer l", YLabel = "largest |J_ij| (binary: pseudo-likelihood; continuous: GGM)" };
        foreach (var (objective, reading, layers) in DeepestLayers(r, comparableOnly: false))
        {
            var withJ = layers.Where(c => c.MaxAbsCoupling is not null).ToArray();
            if (withJ.Length == 0) continue;
            chart.Add(new ChartSeries($"{NnNames.Name(objective)}, {Name(reading)}", withJ.Select(c => (double)c.Layer).ToArray(),
                withJ.Select(c => c.MaxAbsCoupling!.Estimate).ToArray(), withJ.Select(c => HalfWidth(c.MaxAbsCoupling!)).ToArray()));
        }
        return new ReportFigure("order-free", $"Units of a fully connected layer have no intrinsic order: the largest all-pairs coupling |J_ij| of each layer (binary readings: all-pairs pseudo-likelihood; continuous reading: the precision matrix of the Gaussian graphical model) (bars: {Percent(r)} interval over seeds). It is 0 only for independent units.", chart);
    }

    private static ReportFigure Losses(CorrespondenceResult r)
    {
        var chart = new LineChart { Title = "Validation loss of the deepest pyramids", XLabel = "epoch", YLabel = "validation loss (MSE)", LogY = true };
        foreach (var run in r.Runs.Where(n => n.Compression == r.Config.DeepestCompression))
            chart.Add(new ChartSeries($"{NnNames.Name(run.Objective)}, seed {run.SeedIndex}", run.Training.History.Select(e => (double)e.Epoch).ToArray(),
                run.Training.History.Select(e => e.ValidationLoss).ToArray()));
        return new ReportFigure("losses", "Validation loss per epoch of the deepest pyramid of each objective and seed; training stops after the patience window without improvement, and the network at the lowest validation loss is the one read.", chart);
    }

    /// <summary>Whether a reading fits the input's family, so that its parameters can stand beside the RG's.</summary>
    private static bool Comparable(CorrespondenceResult r, LayerReading reading) =>
        r.Config.ReadingFamily(reading) == r.Config.Theta0.Family;

    private static IEnumerable<(Objective Objective, LayerReading Reading, CombinedEstimate[] Layers)> DeepestLayers(CorrespondenceResult r, bool comparableOnly = true)
    {
        foreach (var objective in r.Config.Objectives)
            foreach (var reading in r.Config.Readings.Where(x => !comparableOnly || Comparable(r, x)))
                yield return (objective, reading, r.Combined.Where(c => c.Objective == objective && c.Reading == reading && c.Compression == r.Config.DeepestCompression)
                    .OrderBy(c => c.Layer).ToArray());
    }

    private static double HalfWidth(Estimation.ParameterEstimate e) =>
        double.IsFinite(e.Lower) && double.IsFinite(e.Upper) ? (e.Upper - e.Lower) / 2 : double.NaN;

    private static string Percent(CorrespondenceResult r) => $"{r.Config.ConfidenceLevel * 100:G3}%";

    private static string Name(LayerReading reading) => CorrespondenceJson.Name(reading);

    private static string Slug(string name) => new(name.Where(char.IsLetterOrDigit).ToArray());
}
