namespace RgLens.Nn;

/// <summary>What a layer computes: a fully connected map or a 1-D convolution along the chain.</summary>
public enum LayerKind
{
    /// <summary>z = σ(W z_below + c), W of shape (n_l, n_{l−1}).</summary>
    Dense,

    /// <summary>A 1-D convolution along the sites, W of shape (out channels, in channels, kernel) as PyTorch's Conv1d.</summary>
    Conv1d,
}
