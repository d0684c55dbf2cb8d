namespace RgLens.Nn;

/// <summary>A constant learning rate (factor 1).</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override string Name => "constant";

    /// <inheritdoc />
    public override double Factor(long step, long totalSteps, int epoch) => 1;

    /// <inheritdoc />
    public override void Validate() { }
}
