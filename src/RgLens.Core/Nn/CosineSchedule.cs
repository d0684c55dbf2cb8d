namespace RgLens.Nn;

/// <summary>
/// Cosine annealing over the whole run (Loshchilov and Hutter, 2017, without restarts): factor
/// m + (1 − m)(1 + cos(π s/S))/2 after s of S steps, from 1 down to <paramref name="MinFactor"/>.
/// </summary>
/// <param name="MinFactor">The final factor m, in [0, 1].</param>
public sealed record CosineSchedule(double MinFactor = 0) : LearningRateSchedule
{
    /// <inheritdoc />
    public override string Name => "cosine";

    /// <inheritdoc />
    public override double Factor(long step, long totalSteps, int epoch) =>
        totalSteps <= 0 ? 1 : MinFactor + (1 - MinFactor) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / totalSteps));

    /// <inheritdoc />
    public override void Validate()
    {
        if (!(MinFactor >= 0 && MinFactor <= 1)) throw new ArgumentException($"the cosine schedule needs a minimum factor in [0, 1]; got {MinFactor}.");
    }
}
