namespace RgLens.Probes;

/// <summary>
/// y_j = ±1 with P(y_j = +1 | x) = (1 + tanh a_j)/2 on the gauge-fixed pre-activations: the layer
/// as a stochastic map, as an RG step is. The draws are made after the gauge is applied, so that
/// the same network read with its units permuted draws the same spins.
/// </summary>
public sealed class StochasticReading : IReading
{
    /// <inheritdoc/>
    public string Id => "stochastic";

    /// <inheritdoc/>
    public string Description => "spins drawn with P(y = +1) = (1 + tanh a)/2 from the gauge-fixed pre-activations";

    /// <inheritdoc/>
    public bool IsingScale => true;

    /// <inheritdoc/>
    public ReadingMeasurement Read(ReadingInput input) =>
        BinaryChainReading.Measure(Id, BinaryReadings.Stochastic(input.PreActivations, input.Gauge, Numerics.RandomStream.Derive(input.Seed, "stochastic"), input.Threads), input, orderFree: false);
}
