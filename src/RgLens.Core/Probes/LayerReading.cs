namespace RgLens.Probes;

/// <summary>How a layer's output is read as a configuration of units (theory.md §3, "the output system of layer l").</summary>
public enum LayerReading
{
    /// <summary>Binary reading y_j = sign(a_j) of the pre-activation a_j (ties a_j = 0 read as +1).</summary>
    Sign,

    /// <summary>Binary reading by the stochastic kernel: y_j = ±1 with P(y_j = +1 | x) = (1 + tanh a_j)/2.</summary>
    Stochastic,

    /// <summary>Continuous reading: the activations z_j themselves, fitted by a Gaussian chain.</summary>
    Continuous,
}
