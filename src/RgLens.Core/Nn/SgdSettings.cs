namespace RgLens.Nn;

/// <summary>
/// Stochastic gradient descent with (heavy-ball) momentum, as PyTorch's SGD with dampening 0;
/// weight decay (<see cref="TrainerOptions.WeightDecay"/>) is added to the gradient (L2).
/// </summary>
/// <param name="Momentum">μ in [0, 1); 0 is plain SGD.</param>
public sealed record SgdSettings(double Momentum = 0.9) : OptimizerSettings
{
    /// <inheritdoc />
    public override string Name => "sgd";

    /// <inheritdoc />
    public override void Validate()
    {
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"SGD momentum must be in [0, 1); got {Momentum}.");
    }
}
