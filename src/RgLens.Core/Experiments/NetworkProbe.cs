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
    /// <param name="network">The trained network.</param>
    /// <param name="probe">Fresh input samples of θ0.</param>
    /// <param name="readings">The readings.</param>
    /// <param name="boundary">Boundary assumed for the units in index order.</param>
    /// <param name="replicates">Bootstrap replicates of the chain fits (0: point estimates).</param>
    /// <param name="seed">Seed of the readings' and bootstraps' streams.</param>
    /// <param name="allPairs">Whether to fit the order-free all-pairs models.</param>
    /// <param name="continuousFamily">The family of the continuous reading (Gaussian by default).</param>
    /// <param name="cancellation">Stops between layers.</param>
    public static IReadOnlyList<LayerMeasurement> Layers(Network network, SampleMatrix<float> probe, IReadOnlyList<LayerReading> readings,
        Boundary boundary, int replicates, ulong seed, bool allPairs, ChainFamily? continuousFamily = null, CancellationToken cancellation = default)
    {
        var observation = network.Observe(probe);
        var result = new List<LayerMeasurement>();
        for (int l = 1; l <= observation.FeatureLayer; l++)
        {
            cancellation.ThrowIfCancellationRequested();
            var pre = observation.PreActivations(l);
            var act = observation.Activations(l);
            var measured = readings.Select((reading, i) => Measure(pre, act, reading, boundary, replicates,
                Numerics.RandomStream.Derive(seed, "layer-probe", l * 16 + i), allPairs, continuousFamily)).ToArray();
            result.Add(new LayerMeasurement(l, pre.Columns, measured));
        }
        return result;
    }

    /// <summary>One reading of one layer.</summary>
    public static ReadingMeasurement Measure(SampleMatrix<float> preActivations, SampleMatrix<float> activations, LayerReading reading,
        Boundary boundary, int replicates, ulong seed, bool allPairs, ChainFamily? continuousFamily = null)
    {
        var fit = new FitOptions { Replicates = replicates, Seed = seed, Threads = 1 };
        if (reading == LayerReading.Continuous) return MeasureContinuous(activations, boundary, fit, allPairs, continuousFamily ?? GaussianFamily.Instance);
        var options = new ProbeOptions
        {
            Boundary = boundary,
            Fit = fit,
            ReadingSeed = Numerics.RandomStream.Derive(seed, "reading"),
            AllPairs = allPairs,
        };
        var probe = LayerProbe.ProbeBinary(preActivations, reading, options);
        return new ReadingMeasurement(reading, IsingFamily.Instance, probe.Chain.Estimates, probe.AllPairs?.MaxAbsCoupling,
            probe.AllPairs?.MeanNeighbourCoupling, probe.MultiInformation, probe.PlugInMultiInformation, probe.Chain.Warnings);
    }

    /// <summary>
    /// The continuous reading (theory.md §3): a chain of <paramref name="family"/> (a Gaussian chain
    /// (a, K, h), or the input's real-valued family) fitted to the activations in index order, and the
    /// Gaussian graphical model of all units (point estimates: the experiment's
    /// intervals for the order-free measures come from the spread over seeds). A layer whose units
    /// make a Gaussian fit impossible (a constant, saturated unit; exactly collinear units) is
    /// recorded with NaN estimates and a warning saying why, rather than stopping the experiment.
    /// </summary>
    private static ReadingMeasurement MeasureContinuous(SampleMatrix<float> activations, Boundary boundary, FitOptions fit, bool allPairs, ChainFamily family)
    {
        var z = activations.Convert<double>();
        var warnings = new List<string>();
        IReadOnlyList<ParameterEstimate> parameters;
        try
        {
            var chain = ChainEstimator.Fit(family, z, boundary, EstimationMethod.MaximumLikelihood, fit);
            parameters = chain.Estimates;
            warnings.AddRange(chain.Warnings);
        }
        catch (RgLensException e)
        {
            parameters = family.Parameters.Select(p => new ParameterEstimate(p.Name, double.NaN, double.NaN, double.NaN, double.NaN)).ToArray();
            warnings.Add($"no {family.Name} chain fit: {e.Message}");
        }
        double? maxJ = null, neighbour = null;
        double mi = double.NaN;
        if (allPairs)
        {
            try
            {
                var ggm = GaussianGraphicalModel.Fit(z, fit with { Replicates = 0 });
                maxJ = ggm.MaxAbsCoupling.Estimate;
                neighbour = ggm.NeighbourCouplings().Average();
                mi = ggm.MultiInformation.Estimate;
                warnings.AddRange(ggm.Warnings);
            }
            catch (RgLensException e)
            {
                warnings.Add($"no Gaussian graphical model: {e.Message}");
            }
        }
        if (double.IsNaN(mi)) mi = MultiInformation.Gaussian(z);
        return new ReadingMeasurement(LayerReading.Continuous, family, parameters, maxJ, neighbour, mi, null, warnings);
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
