namespace RgLens.Nn;

/// <summary>How a convolution treats sites beyond the ends of the chain.</summary>
public enum Padding
{
    /// <summary>Periodic chain: site −1 is site S − 1 (PyTorch's padding_mode="circular").</summary>
    Circular,

    /// <summary>Open chain: sites outside 0 … S − 1 read as 0 (PyTorch's padding_mode="zeros").</summary>
    Zero,
}
