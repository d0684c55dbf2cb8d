namespace RgLens.Nn;

/// <summary>How initial weights are drawn (biases start at zero).</summary>
public enum InitScheme
{
    /// <summary><see cref="He"/> for relu layers, <see cref="Xavier"/> for the others.</summary>
    Auto,

    /// <summary>Glorot and Bengio (2010): W_ij ~ N(0, 2/(n_in + n_out)); suits tanh, sigmoid and linear layers.</summary>
    Xavier,

    /// <summary>He et al. (2015): W_ij ~ N(0, 2/n_in); suits relu layers.</summary>
    He,
}
