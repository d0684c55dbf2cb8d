using RgLens.Probes;

namespace RgLens.Results;

/// <summary>One layer's output system in every reading.</summary>
/// <param name="Layer">The layer (1 … feature layer).</param>
/// <param name="Width">Its units.</param>
/// <param name="Readings">One measurement per reading, in the run's reading order.</param>
/// <param name="Gauge">The layer's gauge (order and signs) the readings used.</param>
public sealed record LayerMeasurement(int Layer, int Width, IReadOnlyList<ReadingMeasurement> Readings, UnitGauge Gauge)
{
    /// <summary>The measurement of <paramref name="reading"/>.</summary>
    public ReadingMeasurement this[string reading] => Readings.First(r => r.Reading == reading);
}
