namespace RgLens.Nn;

/// <summary>What the network is trained to do (docs/theory.md, "Networks and objectives").</summary>
public enum Objective
{
    /// <summary>Reconstruct the input: the decoder mirrors the encoder and the feature layer is the bottleneck.</summary>
    Autoencoder,

    /// <summary>Regress the generating parameters θ0 of pooled data with a linear head after the encoder.</summary>
    Supervised,
}
