using RgLens.Claims;
using RgLens.Comparison;
using RgLens.Experiments;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Results;

namespace RgLens.Reporting.Correspondence;

/// <summary>
/// The figures of the correspondence report, built from a <see cref="CorrespondenceResult"/> only.
/// The first is the summary: every headline claim's deviation from its target, trained beside the
/// controls. The others show the primary objective and reading in detail, each condition in its
/// own colour (<see cref="Palette"/>), RG curves dashed black, intervals as error bars.
/// </summary>
public static class CorrespondenceFigures
{
    /// <summary>Every figure of the report, the summary first.</summary>
    public static IReadOnlyList<ReportFigure> All(CorrespondenceResult r)
    {
        var figures = new List<ReportFigure> { Summary(r) };
        var reading = Readings.Get(r.Config.Readings[0]);
        figures.Add(Layers(r, reading));
        figures.Add(Compression(r, reading));
        figures.Add(AlongTraining(r, reading));
        figures.Add(Losses(r));
        return figures;
    }

    /// <summary>Per headline claim: estimate − target with its interval, for the trained networks and each control; the margin ±δ as grey lines.</summary>
    public static ReportFigure Summary(CorrespondenceResult r)
    {
        var head = r.Headline.Where(c => c.Verdict != Verdicts.NotApplicable).ToArray();
        var chart = new LineChart
        {
            Title = $"Claims ({NnNames.Name(r.Config.Objectives[0])}, {r.Config.Readings[0]} reading): distance from the RG target",
            XLabel = "claim",
            YLabel = "estimate − target",
            XCategories = head.Select(c => c.Claim.Replace('_', ' ')).ToArray(),
            HorizontalLines = [-r.Config.Margin, 0, r.Config.Margin],
        };
        var conditions = r.ConditionIds;
        for (int ci = 0; ci < conditions.Count; ci++)
        {
            string id = conditions[ci];
            double offset = (ci - (conditions.Count - 1) / 2.0) * 0.18;
            var x = new List<double>();
            var y = new List<double>();
            var e = new List<double>();
            for (int k = 0; k < head.Length; k++)
            {
                var c = head[k];
                var d = c.Trained.Deciding;
                if (d is null) continue;
                int index = c.Trained.Tests.ToList().IndexOf(d);
                var outcome = id == Conditions.Trained ? c.Trained : c.Control(id);
                if (outcome is null || index >= outcome.Tests.Count) continue;
                var t = outcome.Tests[index].Test;
                x.Add(k + offset);
                y.Add(t.Combined.Estimate - t.Target);
                e.Add(HalfWidth(t.Combined));
            }
            chart.Add(new ChartSeries(Palette.Label(id), x, y, e, Color: Palette.Of(id), MarkersOnly: true));
        }
        return new ReportFigure("claims", $"Each headline claim's deciding comparison as estimate − target, with its {Percent(r)} interval, for the trained networks and the controls (grey lines: 0 and the margin ±δ = ±{r.Config.Margin}). A claim holds when the trained interval lies between the margin lines and the controls' do not; a control inside the margin too makes it indistinguishable from control. For the along-training claim the target is the slope threshold −δ/decades.", chart);
    }

    private static ReportFigure Layers(CorrespondenceResult r, IReading reading)
    {
        var ctx = r.Context;
        int depth = ctx.Depth;
        var objective = r.Config.Objectives[0];
        string q = reading.IsingScale ? "K" : "ρ";
        var chart = new LineChart { Title = $"{q} layer by layer (b = {ctx.DeepestCompression}, {NnNames.Name(objective)}, {reading.Id})", XLabel = "layer l", YLabel = q, IntegerX = true };
        if (ctx.OnInputScale(reading))
            chart.Add(new ChartSeries("RG: K of R_2^l(θ0)", Enumerable.Range(0, depth + 1).Select(l => (double)l).ToArray(),
                Enumerable.Range(0, depth + 1).Select(l => r.Rg.Layer(l)["K"]).ToArray(), Dashed: true, Color: Palette.Rg));
        foreach (string id in r.ConditionIds)
        {
            double dodge = Dodge(r, id);
            var layers = Enumerable.Range(1, depth).Select(l => Combine(ctx, ctx.PerSeed(id, objective, reading.Id, ctx.DeepestCompression, l))).ToArray();
            chart.Add(new ChartSeries(Palette.Label(id), Enumerable.Range(1, depth).Select(l => l + dodge).ToArray(),
                layers.Select(c => c.Estimate).ToArray(), layers.Select(HalfWidth).ToArray(), Color: Palette.Of(id)));
        }
        return new ReportFigure("layers", $"The coupling {q} of each encoder layer of the deepest pyramid, gauge-fixed, combined over {r.Config.Seeds} seed(s) (bars: {Percent(r)} random-effects interval), for each condition (shifted slightly apart horizontally){(ctx.OnInputScale(reading) ? ", beside the RG iterates R_2^l(θ0) (dashed; layer 0 is the input θ0)" : "")}.", chart);
    }

    private static ReportFigure Compression(CorrespondenceResult r, IReading reading)
    {
        var ctx = r.Context;
        var objective = r.Config.Objectives[0];
        string q = reading.IsingScale ? "K" : "ρ";
        var bs = ctx.Compressions;
        var chart = new LineChart { Title = $"Feature-layer {q} against compression ({NnNames.Name(objective)}, {reading.Id})", XLabel = "log2 b", YLabel = q, IntegerX = true };
        if (ctx.OnInputScale(reading))
            chart.Add(new ChartSeries("RG: K of R_b(θ0)", bs.Select(b => Math.Log2(b)).Prepend(0).ToArray(),
                bs.Select(b => r.Rg.ByCompression[b]["K"]).Prepend(r.Config.Theta0.NeighbourCoupling).ToArray(), Dashed: true, Color: Palette.Rg));
        foreach (string id in r.ConditionIds)
        {
            double dodge = Dodge(r, id);
            var points = bs.Select(b => Combine(ctx, ctx.PerSeed(id, objective, reading.Id, b, System.Numerics.BitOperations.Log2((uint)b)))).ToArray();
            chart.Add(new ChartSeries(Palette.Label(id), bs.Select(b => Math.Log2(b) + dodge).ToArray(), points.Select(p => p.Estimate).ToArray(),
                points.Select(HalfWidth).ToArray(), Color: Palette.Of(id)));
        }
        return new ReportFigure("compression", $"The feature layer's {q} for the pyramid of each compression b (bars: {Percent(r)} interval over seeds) for each condition{(ctx.OnInputScale(reading) ? ", beside the RG's one-step point R_b(θ0) (dashed)" : "")}.", chart);
    }

    private static ReportFigure AlongTraining(CorrespondenceResult r, IReading reading)
    {
        var ctx = r.Context;
        var objective = r.Config.Objectives[0];
        var chart = new LineChart { Title = $"Feature layer's distance to θ* along training (b = {ctx.DeepestCompression}, {NnNames.Name(objective)}, {reading.Id})", XLabel = "1 + optimizer step", YLabel = "distance to θ*", LogX = true };
        foreach (string id in r.ConditionIds)
        {
            var traces = Enumerable.Range(0, r.Config.Seeds).Select(s => ctx.Run(id, objective, ctx.DeepestCompression, s)?.AlongTraining ?? []).Where(t => t.Count > 0).ToArray();
            if (traces.Length == 0) continue;
            var steps = traces.SelectMany(t => t.Select(c => c.Step)).Distinct().Order().ToArray();
            var mean = new List<double>();
            var sd = new List<double>();
            foreach (long step in steps)
            {
                var v = traces.Select(t => t.FirstOrDefault(c => c.Step == step)).Where(c => c is not null)
                    .Select(c => AlongTrainingClaim.Distance(ctx, reading, c!)).Where(double.IsFinite).ToArray();
                mean.Add(v.Length > 0 ? v.Average() : double.NaN);
                sd.Add(v.Length > 1 ? Math.Sqrt(v.Sum(x => Math.Pow(x - v.Average(), 2)) / (v.Length - 1)) : 0);
            }
            chart.Add(new ChartSeries(Palette.Label(id), steps.Select(s => 1.0 + s).ToArray(), mean, sd, Color: Palette.Of(id)));
        }
        return new ReportFigure("along-training", "The feature layer's distance to θ* at log-spaced checkpoints (step 0 is the initialization; the last point is the network kept by early stopping), mean over seeds, bars ± one standard deviation across seeds. The claim uses each seed's slope against log10(1 + step).", chart);
    }

    private static ReportFigure Losses(CorrespondenceResult r)
    {
        var chart = new LineChart { Title = "Validation loss of the deepest pyramids", XLabel = "epoch", YLabel = "validation loss (MSE)", LogY = true, IntegerX = false };
        foreach (var id in r.ConditionIds)
            foreach (var run in r.Runs.Where(n => n.Condition == id && n.Compression == r.Config.DeepestCompression && n.Training is not null && n.Objective == r.Config.Objectives[0]))
                chart.Add(new ChartSeries(run.SeedIndex == 0 ? Palette.Label(id) : "", run.Training!.History.Select(e => (double)e.Epoch).ToArray(),
                    run.Training.History.Select(e => e.ValidationLoss).ToArray(), Color: Palette.Of(id)));
        return new ReportFigure("losses", $"Validation loss per epoch of the deepest pyramid ({NnNames.Name(r.Config.Objectives[0])}), one line per seed, for the networks trained on the input and on null data; training stops when the loss has not fallen by {r.Config.MinRelativeImprovement:P1} for {r.Config.Patience} epochs, and the network at the lowest validation loss is the one read.", chart);
    }

    /// <summary>A small horizontal offset per condition so that intervals at the same x do not hide each other.</summary>
    private static double Dodge(CorrespondenceResult r, string condition)
    {
        var ids = r.ConditionIds;
        return (ids.ToList().IndexOf(condition) - (ids.Count - 1) / 2.0) * 0.07;
    }

    private static SeedCombination Combine(ClaimContext ctx, IReadOnlyList<ReadingMeasurement?> perSeed) =>
        RandomEffects.Combine(perSeed.Select(m => m?.Coupling).ToArray(), ctx.ConfidenceLevel);

    private static double HalfWidth(SeedCombination c) =>
        double.IsFinite(c.Lower) && double.IsFinite(c.Upper) ? (c.Upper - c.Lower) / 2 : double.NaN;

    private static string Percent(CorrespondenceResult r) => $"{r.Config.ConfidenceLevel * 100:G3}%";
}
