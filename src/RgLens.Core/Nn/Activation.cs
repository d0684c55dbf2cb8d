namespace RgLens.Nn;

/// <summary>The activation σ_l of a layer (docs/theory.md, "Networks and objectives": z_l = σ_l(W_l z_{l−1} + c_l)).</summary>
public enum Activation
{
    /// <summary>σ(x) = x: a linear layer (the head of a supervised network, an MSE autoencoder's output).</summary>
    Identity,

    /// <summary>σ(x) = tanh x, range (−1, 1): matches ±1 spin data.</summary>
    Tanh,

    /// <summary>σ(x) = 1/(1 + e^{−x}), range (0, 1): the output of a binary cross-entropy autoencoder.</summary>
    Sigmoid,

    /// <summary>σ(x) = max(x, 0).</summary>
    Relu,
}
