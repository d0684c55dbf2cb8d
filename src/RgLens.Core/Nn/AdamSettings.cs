namespace RgLens.Nn;

/// <summary>
/// Adam (Kingma and Ba, 2015) with PyTorch's bias corrections; weight decay
/// (<see cref="TrainerOptions.WeightDecay"/>) is decoupled as in AdamW (Loshchilov and Hutter, 2019).
/// </summary>
/// <param name="Beta1">β₁ in [0, 1): decay of the first-moment average.</param>
/// <param name="Beta2">β₂ in [0, 1): decay of the second-moment average.</param>
/// <param name="Epsilon">ε &gt; 0 added to √v̂.</param>
public sealed record AdamSettings(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8) : OptimizerSettings
{
    /// <inheritdoc />
    public override string Name => "adam";

    /// <inheritdoc />
    public override void Validate()
    {
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"Adam's beta1 must be in [0, 1); got {Beta1}.");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"Adam's beta2 must be in [0, 1); got {Beta2}.");
        if (!(Epsilon > 0 && double.IsFinite(Epsilon))) throw new ArgumentException($"Adam's epsilon must be > 0; got {Epsilon}.");
    }
}
