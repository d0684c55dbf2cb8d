namespace RgLens.Probes;

/// <summary>y_j = sign(a_j) of the gauge-fixed pre-activations, units in receptive-field order.</summary>
public sealed class SignReading : IReading
{
    /// <inheritdoc/>
    public string Id => "sign";

    /// <inheritdoc/>
    public string Description => "spins y = sign(a) of the gauge-fixed pre-activations, units ordered by receptive-field centroid";

    /// <inheritdoc/>
    public bool IsingScale => true;

    /// <inheritdoc/>
    public ReadingMeasurement Read(ReadingInput input) =>
        BinaryChainReading.Measure(Id, BinaryReadings.Sign(input.PreActivations, input.Gauge), input, input.OrderFree, input.Gauge.Order);
}
