namespace RgLens.Probes;

/// <summary>The registered readings, in their default order.</summary>
public static class Readings
{
    /// <summary>Every reading; the first is the primary one of a run unless the user lists others.</summary>
    public static IReadOnlyList<IReading> All { get; } =
    [
        new SignReading(),
        new StochasticReading(),
        new ContinuousReading(),
        new IndexOrderReading(),
    ];

    /// <summary>The readings a correspondence run uses unless told otherwise.</summary>
    public static IReadOnlyList<string> Default { get; } = ["sign", "stochastic", "continuous"];

    /// <summary>The reading with this id.</summary>
    /// <exception cref="ArgumentException">No such reading (the message lists the known ones).</exception>
    public static IReading Get(string id) =>
        All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown reading '{id}'; known: {string.Join(", ", All.Select(r => r.Id))}.");
}
