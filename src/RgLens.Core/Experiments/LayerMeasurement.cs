namespace RgLens.Experiments;

/// <summary>All readings of one encoder layer l (1 = first hidden layer) of one network.</summary>
/// <param name="Layer">l.</param>
/// <param name="Width">Units n_l.</param>
/// <param name="Readings">One measurement per reading.</param>
public sealed record LayerMeasurement(int Layer, int Width, IReadOnlyList<ReadingMeasurement> Readings);
