namespace RgLens.Nn;

/// <summary>
/// A learning-rate schedule: the factor that multiplies <see cref="TrainerOptions.LearningRate"/>
/// at each optimizer step. <see cref="ConstantSchedule"/>, <see cref="StepSchedule"/> or
/// <see cref="CosineSchedule"/>.
/// </summary>
public abstract record LearningRateSchedule
{
    private protected LearningRateSchedule() { }

    /// <summary>The name in manifests and checkpoints.</summary>
    public abstract string Name { get; }

    /// <summary>The factor for the update that follows <paramref name="step"/> completed steps, in epoch <paramref name="epoch"/> (0-based), of <paramref name="totalSteps"/>.</summary>
    public abstract double Factor(long step, long totalSteps, int epoch);

    /// <summary>Checks the parameters.</summary>
    /// <exception cref="ArgumentException">A value outside its domain.</exception>
    public abstract void Validate();
}
