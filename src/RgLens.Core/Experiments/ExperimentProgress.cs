namespace RgLens.Experiments;

/// <summary>Progress of an experiment: networks trained and read so far, out of the total.</summary>
/// <param name="Completed">Networks done.</param>
/// <param name="Total">Networks in the experiment.</param>
/// <param name="Last">A description of the network that just finished.</param>
public sealed record ExperimentProgress(int Completed, int Total, string Last);
