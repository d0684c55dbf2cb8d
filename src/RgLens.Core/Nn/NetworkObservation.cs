using RgLens.Data;

namespace RgLens.Nn;

/// <summary>
/// Every layer of a network seen on one batch (docs/theory.md, "The output system of a layer"):
/// for each layer l = 1 … L the pre-activations W_l z_{l−1} + c_l and the activations z_l, one
/// row per input sample, in unit order. Layer 0 is the input itself.
/// </summary>
public sealed class NetworkObservation
{
    private readonly SampleMatrix<float>[] _pre, _act;

    internal NetworkObservation(SampleMatrix<float>[] preActivations, SampleMatrix<float>[] activations, int featureLayer)
    {
        _pre = preActivations;
        _act = activations;
        FeatureLayer = featureLayer;
    }

    /// <summary>L, the number of layers with weights.</summary>
    public int Depth => _act.Length - 1;

    /// <summary>The feature layer of the network's spec.</summary>
    public int FeatureLayer { get; }

    /// <summary>Number of samples observed.</summary>
    public int Samples => _act[0].Rows;

    /// <summary>The input batch z_0.</summary>
    public SampleMatrix<float> Input => _act[0];

    /// <summary>The output z_L.</summary>
    public SampleMatrix<float> Output => _act[^1];

    /// <summary>The feature layer's activations z_k (the bottleneck of an autoencoder).</summary>
    public SampleMatrix<float> Features => _act[FeatureLayer];

    /// <summary>W_l z_{l−1} + c_l for layer <paramref name="layer"/> (1 … L): samples × n_l.</summary>
    public SampleMatrix<float> PreActivations(int layer)
    {
        if (layer < 1 || layer > Depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layers with pre-activations are 1 … {Depth}.");
        return _pre[layer];
    }

    /// <summary>z_l = σ_l(pre-activations) for layer <paramref name="layer"/> (0 … L; 0 is the input): samples × n_l.</summary>
    public SampleMatrix<float> Activations(int layer)
    {
        if (layer < 0 || layer > Depth) throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layers are 0 … {Depth}.");
        return _act[layer];
    }
}
