namespace RgLens.Nn;

/// <summary>Step decay: the rate is multiplied by <paramref name="Gamma"/> every <paramref name="EveryEpochs"/> epochs (PyTorch's StepLR).</summary>
/// <param name="EveryEpochs">Epochs between decays (≥ 1).</param>
/// <param name="Gamma">Factor per decay, in (0, 1].</param>
public sealed record StepSchedule(int EveryEpochs = 10, double Gamma = 0.5) : LearningRateSchedule
{
    /// <inheritdoc />
    public override string Name => "step";

    /// <inheritdoc />
    public override double Factor(long step, long totalSteps, int epoch) => Math.Pow(Gamma, epoch / EveryEpochs);

    /// <inheritdoc />
    public override void Validate()
    {
        if (EveryEpochs < 1) throw new ArgumentException($"the step schedule needs every-epochs >= 1; got {EveryEpochs}.");
        if (!(Gamma > 0 && Gamma <= 1)) throw new ArgumentException($"the step schedule needs gamma in (0, 1]; got {Gamma}.");
    }
}
