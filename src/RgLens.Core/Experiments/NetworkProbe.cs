using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>Reads every encoder layer of a trained network on fresh samples of θ0 (theory.md §3).</summary>
public static class NetworkProbe
{
    /// <summary>The measurements of layers 1 … feature layer, in every reading.</summary>
    public static IReadOnlyList<LayerMeasurement> Layers(Network network, SampleMatrix<float> probe, IReadOnlyList<LayerReading> readings,
        Boundary boundary, int replicates, ulong seed, bool allPairs, CancellationToken cancellation = default)
    {
        var observation = network.Observe(probe);
        var result = new List<LayerMeasurement>();
        for (int l = 1; l <= observation.FeatureLayer; l++)
        {
            cancellation.ThrowIfCancellationRequested();
            var pre = observation.PreActivations(l);
            var act = observation.Activations(l);
            var measured = readings.Select((reading, i) => Measure(pre, act, reading, boundary, replicates,
                Numerics.RandomStream.Derive(seed, "layer-probe", l * 16 + i), allPairs)).ToArray();
            result.Add(new LayerMeasurement(l, pre.Columns, measured));
        }
        return result;
    }

    /// <summary>One reading of one layer.</summary>
    public static ReadingMeasurement Measure(SampleMatrix<float> preActivations, SampleMatrix<float> activations, LayerReading reading,
        Boundary boundary, int replicates, ulong seed, bool allPairs)
    {
        if (reading == LayerReading.Continuous)
            throw new RgLensException("the continuous reading needs the Gaussian chain family, which this build does not have.");
        var options = new ProbeOptions
        {
            Boundary = boundary,
            Fit = new FitOptions { Replicates = replicates, Seed = seed, Threads = 1 },
            ReadingSeed = Numerics.RandomStream.Derive(seed, "reading"),
            AllPairs = allPairs,
        };
        var probe = LayerProbe.ProbeBinary(preActivations, reading, options);
        return new ReadingMeasurement(reading, IsingFamily.Instance, probe.Chain.Estimates, probe.AllPairs?.MaxAbsCoupling,
            probe.AllPairs?.MeanNeighbourCoupling, probe.MultiInformation, probe.PlugInMultiInformation, probe.Chain.Warnings);
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
