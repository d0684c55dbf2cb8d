namespace RgLens.Sweeps;

/// <summary>Where a sweep stands.</summary>
/// <param name="Done">Cells finished (this run and earlier ones).</param>
/// <param name="Failed">Cells that failed.</param>
/// <param name="Remaining">Cells still to run.</param>
/// <param name="Eta">Estimated time to finish, when known.</param>
public sealed record SweepProgress(int Done, int Failed, int Remaining, TimeSpan? Eta);
