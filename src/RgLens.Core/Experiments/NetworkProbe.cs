using RgLens.Data;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Numerics;
using RgLens.Probes;
using RgLens.Results;

namespace RgLens.Experiments;

/// <summary>Reads every encoder layer of a network on probe samples, gauge-fixed, in every reading.</summary>
public static class NetworkProbe
{
    /// <summary>The measurements of layers 1 … feature layer (or only the feature layer).</summary>
    /// <param name="network">The network.</param>
    /// <param name="probe">The probe samples (shared by every condition of a seed).</param>
    /// <param name="readings">The readings.</param>
    /// <param name="boundary">The input chain's boundary (the units are read with the same one).</param>
    /// <param name="replicates">Bootstrap replicates of the within-network errors (0: point estimates).</param>
    /// <param name="seed">Seed of the readings' draws and bootstraps.</param>
    /// <param name="orderFree">Whether to fit the all-pairs models (costly).</param>
    /// <param name="featureOnly">Read only the feature layer.</param>
    /// <param name="cancellation">Stops between layers.</param>
    public static IReadOnlyList<LayerMeasurement> Layers(Network network, SampleMatrix<float> probe, IReadOnlyList<IReading> readings,
        Boundary boundary, int replicates, ulong seed, bool orderFree, bool featureOnly = false, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var observation = network.Observe(probe);
        var result = new List<LayerMeasurement>();
        for (int l = featureOnly ? observation.FeatureLayer : 1; l <= observation.FeatureLayer; l++)
        {
            cancellation.ThrowIfCancellationRequested();
            var pre = observation.PreActivations(l);
            var act = observation.Activations(l);
            if (network.Spec.Layers[l - 1].Kind == LayerKind.Conv1d)
            {
                result.Add(ConvLayer(network.Spec.Layers[l - 1], l, pre, act, probe, readings, boundary, replicates, seed));
                continue;
            }
            var gauge = Gauge.Fix(network, l, probe, pre, boundary == Boundary.Periodic);
            var measured = readings.Select(r => r.Read(new ReadingInput(pre, act, gauge, boundary, replicates,
                RandomStream.Derive(seed, "layer-" + r.Id, l), orderFree && r.Id == "sign"))).ToArray();
            result.Add(new LayerMeasurement(l, pre.Columns, measured, gauge));
        }
        return result;
    }

    /// <summary>
    /// A convolutional layer: its units sit on the chain, so each channel is read as a chain in site
    /// order (no order gauge), its sign fixed per channel by the correlation of the channel's mean
    /// pre-activation with the input's magnetization. The layer's measurement pools the channels:
    /// the mean of the per-channel estimates, with standard error √(Σ se_c²)/C (channels treated as
    /// independent readings), likelihood-ratio statistics and degrees of freedom summed.
    /// </summary>
    private static LayerMeasurement ConvLayer(LayerSpec spec, int l, SampleMatrix<float> pre, SampleMatrix<float> act, SampleMatrix<float> probe,
        IReadOnlyList<IReading> readings, Boundary boundary, int replicates, ulong seed)
    {
        int c = spec.OutChannels, m = spec.OutputSites, n = pre.Rows;
        var signs = new int[c * m];
        var perChannel = new List<ReadingMeasurement>[readings.Count];
        for (int r = 0; r < readings.Count; r++) perChannel[r] = [];
        var magnet = Gauge.Magnetization(probe);
        for (int ch = 0; ch < c; ch++)
        {
            var p = new SampleMatrix<float>(n, m);
            var a = new SampleMatrix<float>(n, m);
            for (int row = 0; row < n; row++)
                for (int site = 0; site < m; site++)
                {
                    p[row, site] = pre[row, site * c + ch];
                    a[row, site] = act[row, site * c + ch];
                }
            // One sign per channel: the channel's mean pre-activation against the input's magnetization.
            var mean = new double[n];
            for (int row = 0; row < n; row++)
            {
                double s = 0;
                for (int site = 0; site < m; site++) s += p[row, site];
                mean[row] = s / m;
            }
            int sign = Gauge.Sign(mean, magnet);
            for (int site = 0; site < m; site++) signs[site * c + ch] = sign;
            var gauge = new UnitGauge(Enumerable.Range(0, m).ToArray(), Enumerable.Repeat(sign, m).ToArray(), Enumerable.Range(0, m).Select(i => (double)i).ToArray());
            for (int r = 0; r < readings.Count; r++)
                perChannel[r].Add(readings[r].Read(new ReadingInput(p, a, gauge, boundary, replicates,
                    RandomStream.Derive(seed, "layer-" + readings[r].Id, l * 4096 + ch), false)));
        }
        var pooled = readings.Select((reading, r) => Pool(reading.Id, perChannel[r], c)).ToArray();
        var layerGauge = new UnitGauge(Enumerable.Range(0, c * m).ToArray(), signs, Enumerable.Repeat(double.NaN, c * m).ToArray());
        return new LayerMeasurement(l, c * m, pooled, layerGauge);
    }

    private static ReadingMeasurement Pool(string id, IReadOnlyList<ReadingMeasurement> channels, int c)
    {
        static Estimation.ParameterEstimate? Mean(IReadOnlyList<Estimation.ParameterEstimate?> es)
        {
            if (es.Any(e => e is null)) return null;
            double est = es.Average(e => e!.Estimate);
            double se = Math.Sqrt(es.Sum(e => e!.StandardError * e.StandardError)) / es.Count;
            return BinaryChainReading.Estimate(es[0]!.Name, est, se);
        }
        double? lr = channels.All(x => x.HomogeneityStatistic is not null) ? channels.Sum(x => x.HomogeneityStatistic!.Value) : null;
        int? df = channels.All(x => x.HomogeneityDegreesOfFreedom is not null) ? channels.Sum(x => x.HomogeneityDegreesOfFreedom!.Value) : null;
        double? p = lr is double l && df is int d && d > 0 ? MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(d / 2.0, l / 2) : null;
        return new ReadingMeasurement(id, channels.Sum(x => x.Units), Mean(channels.Select(x => (Estimation.ParameterEstimate?)x.Coupling).ToArray())!,
            Mean(channels.Select(x => x.Field).ToArray()), Mean(channels.Select(x => x.HomogeneousCoupling).ToArray()), lr, df, p,
            channels.SelectMany(x => x.UnitMeans).ToArray(), channels.All(x => x.UnitFields is not null) ? channels.SelectMany(x => x.UnitFields!).ToArray() : null,
            channels.Average(x => x.MultiInformation), null,
            channels.SelectMany((x, i) => x.Warnings.Select(w => $"channel {i}: {w}")).ToArray());
    }

    /// <summary>The objective's loss (MSE) of <paramref name="network"/> on the probe samples.</summary>
    public static double ProbeLoss(Network network, SampleMatrix<float> probe, SampleMatrix<float>? targets)
    {
        var output = network.Forward(probe);
        var t = targets ?? probe;
        double s = 0;
        for (long i = 0; i < output.Data.LongLength; i++)
        {
            double e = output.Data[i] - t.Data[i];
            s += e * e;
        }
        return s / output.Data.LongLength;
    }
}
