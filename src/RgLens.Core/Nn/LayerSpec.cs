namespace RgLens.Nn;

/// <summary>One fully connected layer l: its width n_l, its activation σ_l and whether it has a bias c_l.</summary>
/// <param name="Width">Number of units n_l (≥ 1).</param>
/// <param name="Activation">The activation σ_l.</param>
/// <param name="Bias">Whether the layer adds a bias vector c_l.</param>
public sealed record LayerSpec(int Width, Activation Activation, bool Bias = true);
