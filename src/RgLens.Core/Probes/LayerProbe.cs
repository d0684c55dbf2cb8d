using RgLens.Data;
using RgLens.Estimation;

namespace RgLens.Probes;

/// <summary>
/// Reads the output system of a layer (theory.md §3): from the layer's pre-activations under fresh
/// input samples, the binary configuration of its units, the chain parameters fitted in index
/// order, and the order-free measures.
/// </summary>
public static class LayerProbe
{
    /// <summary>Probes a layer in a binary reading.</summary>
    /// <exception cref="ArgumentException">A continuous reading was asked for, or the layer has fewer than 2 units.</exception>
    public static BinaryProbeResult ProbeBinary<T>(SampleMatrix<T> preActivations, LayerReading reading, ProbeOptions? options = null)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        options ??= new ProbeOptions();
        if (reading == LayerReading.Continuous) throw new ArgumentException("ProbeBinary takes the sign or stochastic reading.", nameof(reading));
        if (preActivations.Columns < 2) throw new ArgumentException($"a layer needs at least 2 units to be read as a chain; got {preActivations.Columns}.", nameof(preActivations));
        var y = reading == LayerReading.Sign ? BinaryReadings.Sign(preActivations) : BinaryReadings.Stochastic(preActivations, options.ReadingSeed);
        var chain = IsingEstimator.Fit(y, options.Boundary, options.Method, options.Fit);
        var allPairs = options.AllPairs ? PairwisePseudoLikelihood.Fit(y, options.Regularization) : null;
        double plus = y.Data.Count(v => v > 0) / (double)y.Data.Length;
        double? plugIn = MultiInformation.PlugInIsReliable(y.Columns, y.Rows) ? MultiInformation.PlugIn(y) : null;
        return new BinaryProbeResult(reading, chain, allPairs, MultiInformation.Gaussian(y), plugIn, plus);
    }
}
