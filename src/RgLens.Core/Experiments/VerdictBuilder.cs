using RgLens.Comparison;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>
/// Turns the seed-combined estimates into the verdicts of theory.md §4. A reading whose fitted
/// family is the input's family is compared on every parameter; a reading of another family (the
/// continuous reading of spin data, say) only on its coupling K against K* = 0, the one prediction
/// that does not depend on the parameterization (independent units).
/// </summary>
public static class VerdictBuilder
{
    /// <summary>Comparisons (a), (b) and (c).</summary>
    public static IReadOnlyList<VerdictEntry> Verdicts(CorrespondenceConfig config, RgSide rg, IReadOnlyList<CombinedEstimate> combined)
    {
        var list = new List<VerdictEntry>();
        var names = config.Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        double[] star = rg.FixedPoint.ToArray();
        int deepest = config.DeepestCompression, depth = Log2(deepest);
        foreach (var objective in config.Objectives)
            foreach (var reading in config.Readings)
            {
                bool sameFamily = config.ReadingFamily(reading) == config.Theta0.Family;
                CombinedEstimate? Find(int b, int l) => combined.FirstOrDefault(c => c.Objective == objective && c.Reading == reading && c.Compression == b && c.Layer == l);
                void Add(string kind, int b, int l, IReadOnlyList<double> target, string label)
                {
                    var est = Find(b, l);
                    if (est is null) return;
                    for (int i = 0; i < names.Length; i++)
                    {
                        if (!sameFamily && i != CouplingIndex(config.Theta0)) continue;
                        if (!sameFamily && kind != "a") continue;
                        var measured = est.Parameters.FirstOrDefault(p => p.Name == names[i]);
                        if (measured is null) continue;
                        list.Add(new VerdictEntry(kind, objective, reading, b, l, names[i],
                            Verdict.Of($"{names[i]} of layer {l} (b={b}) vs {label}", measured, target[i], config.ConfidenceLevel)));
                    }
                }
                Add("a", deepest, depth, star, "θ*(θ0)");
                foreach (int b in config.Compressions.OrderBy(b => b))
                    Add("b", b, Log2(b), rg.ByCompression[b].Values(), $"R_{b}(θ0)");
                for (int l = 1; l <= depth; l++)
                    Add("c", deepest, l, rg.Layer(l).Values(), l == 1 ? "R_2(θ0)" : $"R_2^{l}(θ0)");
            }
        return list;
    }

    /// <summary>
    /// The layer-wise flow direction of the coupling in the deepest pyramid: from the input's K0
    /// through the layers for a reading of the input's family; from layer 1 on for another family,
    /// whose K is not on the input's scale.
    /// </summary>
    public static IReadOnlyList<FlowSummary> Flows(CorrespondenceConfig config, IReadOnlyList<CombinedEstimate> combined)
    {
        var list = new List<FlowSummary>();
        string k = config.Theta0.Family.Parameters[CouplingIndex(config.Theta0)].Name;
        int deepest = config.DeepestCompression;
        foreach (var objective in config.Objectives)
            foreach (var reading in config.Readings)
            {
                var layers = combined.Where(c => c.Objective == objective && c.Reading == reading && c.Compression == deepest)
                    .OrderBy(c => c.Layer).ToArray();
                if (layers.Length == 0 || layers[0].Parameters.All(p => p.Name != k)) continue;
                double k0 = config.Theta0.NeighbourCoupling;
                var series = new List<ParameterEstimate>();
                if (config.ReadingFamily(reading) == config.Theta0.Family) series.Add(new ParameterEstimate(k, k0, k0, k0, 0));
                series.AddRange(layers.Select(c => c[k]));
                var steps = FlowDirection.Steps(series);
                list.Add(new FlowSummary(objective, reading, steps, FlowDirection.Summary(steps)));
            }
        return list;
    }

    /// <summary>Comparison (d): distance to θ* along training against the loss.</summary>
    public static IReadOnlyList<TrainingTrend> Trends(CorrespondenceConfig config, RgSide rg, IReadOnlyList<NetworkRun> runs)
    {
        var list = new List<TrainingTrend>();
        double[] star = rg.FixedPoint.ToArray();
        var names = config.Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        int ki = CouplingIndex(config.Theta0);
        foreach (var objective in config.Objectives)
            foreach (var reading in config.Readings)
            {
                bool sameFamily = config.ReadingFamily(reading) == config.Theta0.Family;
                var traces = runs.Where(r => r.Objective == objective && r.AlongTraining.Count > 0).Select(r => r.AlongTraining).ToArray();
                if (traces.Length == 0) continue;
                double Distance(TrainingCheckpoint c)
                {
                    var m = c.Feature.First(f => f.Reading == reading);
                    if (!sameFamily) return Math.Abs(m[names[ki]].Estimate);
                    double s = 0;
                    for (int i = 0; i < names.Length; i++) s += Math.Pow(m[names[i]].Estimate - star[i], 2);
                    return Math.Sqrt(s);
                }
                var points = traces.SelectMany(t => t).Where(c => double.IsFinite(c.ProbeLoss)).ToArray();
                var loss = points.Select(p => p.ProbeLoss).ToArray();
                var dist = points.Select(Distance).ToArray();
                double rho = RankCorrelation.Spearman(loss, dist);
                double first = traces.Average(t => Distance(t[0]));
                double last = traces.Average(t => Distance(t[^1]));
                string what = sameFamily ? "distance to θ*" : $"|{names[ki]}|";
                string direction = last < first ? "shrinks" : "grows";
                string text = $"{what} {direction} from {first:G3} to {last:G3} between the first and the last checkpoint (mean over seeds); "
                              + $"rank correlation of loss and {what} over all checkpoints ρ = {rho:F2}"
                              + (rho > 0 ? " (lower loss goes with a smaller distance)" : " (lower loss does not go with a smaller distance)");
                list.Add(new TrainingTrend(objective, reading, rho, first, last, text));
            }
        return list;
    }

    /// <summary>Index of the nearest-neighbour coupling K in the family's parameters.</summary>
    public static int CouplingIndex(ChainParameters theta)
    {
        var ps = theta.Family.Parameters;
        for (int i = 0; i < ps.Count; i++)
            if (ps[i].Name == "K") return i;
        throw new InvalidOperationException($"the {theta.Family.Name} family has no coupling K.");
    }

    internal static int Log2(int b) => CorrespondenceConfig.FeatureLayer(b);
}
