namespace RgLens.Estimation;

/// <summary>Settings of a fit: bootstrap size, confidence level, seed, threads, and an optional fixed field.</summary>
public sealed record FitOptions
{
    /// <summary>Bootstrap replicates (0 skips the intervals: bounds are NaN).</summary>
    public int Replicates { get; init; } = 200;

    /// <summary>Nominal coverage of the percentile intervals, in (0, 1).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Seed of the bootstrap's random streams.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads (0: one per core); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>When set, the field is held at this value and only the coupling is fitted (e.g. h = 0).</summary>
    public double? FixedField { get; init; }

    /// <summary>Stops the bootstrap between replicates (a fit of a grid family can take seconds).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Replicates);
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), $"the confidence level must lie in (0, 1); got {ConfidenceLevel}.");
        if (FixedField is double f && !double.IsFinite(f))
            throw new ArgumentOutOfRangeException(nameof(FixedField), "a fixed field must be finite.");
    }
}
