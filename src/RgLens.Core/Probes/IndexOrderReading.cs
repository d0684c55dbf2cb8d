namespace RgLens.Probes;

/// <summary>
/// The sign reading with the units left in the network's index order (signs still fixed): the
/// order-gauge's control. For a fully connected layer the index order is arbitrary, so its
/// coupling should read ≈ 0 whatever the network learned.
/// </summary>
public sealed class IndexOrderReading : IReading
{
    /// <inheritdoc/>
    public string Id => "index";

    /// <inheritdoc/>
    public string Description => "spins y = sign(a), signs fixed, units in the network's (arbitrary) index order";

    /// <inheritdoc/>
    public bool IsingScale => true;

    /// <inheritdoc/>
    public ReadingMeasurement Read(ReadingInput input) =>
        BinaryChainReading.Measure(Id, BinaryReadings.Sign(input.PreActivations, input.Gauge.InIndexOrder()), input, orderFree: false, Enumerable.Range(0, input.Gauge.Order.Count).ToArray());
}
