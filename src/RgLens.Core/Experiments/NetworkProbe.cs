using RgLens.Data;
using RgLens.Models;
using RgLens.Networks;
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
            if (ChannelLayout.Of(network.Spec.Layers[l - 1]) is { } channels)
            {
                // A convolution's units sit on the chain: each channel is read as a chain in site order.
                var read = ChannelChains.Read(pre, act, channels, probe, readings, boundary, replicates, seed, l);
                result.Add(new LayerMeasurement(l, channels.Units, read.Readings, read.Gauge));
                continue;
            }
            var gauge = Gauge.Fix(network, l, probe, pre, boundary == Boundary.Periodic);
            var memo = new LayerMemo();
            var measured = readings.Select(r => r.Read(new ReadingInput(pre, act, gauge, boundary, replicates,
                RandomStream.Derive(seed, "layer-" + r.Id, l), orderFree && r.Id == "sign", Memo: memo))).ToArray();
            result.Add(new LayerMeasurement(l, pre.Columns, measured, gauge));
        }
        return result;
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
