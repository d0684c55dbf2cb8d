using RgLens.Data;
using RgLens.Models;

namespace RgLens.Probes;

/// <summary>What a reading gets to read one layer.</summary>
/// <param name="PreActivations">The layer's pre-activations on the probe samples (samples × units, network order).</param>
/// <param name="Activations">The layer's activations on the same samples.</param>
/// <param name="Gauge">The layer's gauge (order and signs).</param>
/// <param name="Boundary">The chain boundary the units are read with (the input's).</param>
/// <param name="Replicates">Bootstrap replicates for the within-network standard errors (0: none).</param>
/// <param name="Seed">Seed of the reading's random draws and bootstrap.</param>
/// <param name="OrderFree">Whether to fit the (costlier) all-pairs models.</param>
/// <param name="Threads">Threads the reading may use; its result does not depend on them.</param>
/// <param name="Cancellation">Checked between the reading's steps and bootstrap replicates.</param>
/// <param name="Memo">Shared by the readings of this layer (the same object for each), so that what they have in common is computed once; null: each computes its own.</param>
/// <param name="Spare">Threads of the probe's schedule that have finished their readings: a reading may add them to <paramref name="Threads"/> for its later parallel steps (<see cref="Numerics.SpareThreads"/>); null: none.</param>
public sealed record ReadingInput(
    SampleMatrix<float> PreActivations,
    SampleMatrix<float> Activations,
    UnitGauge Gauge,
    Boundary Boundary,
    int Replicates,
    ulong Seed,
    bool OrderFree,
    int Threads = 1,
    CancellationToken Cancellation = default,
    LayerMemo? Memo = null,
    Numerics.SpareThreads? Spare = null)
{
    /// <summary>The threads the reading may use for its next parallel step: its own and those lent to it now.</summary>
    public int ThreadsNow => Numerics.SpareThreads.For(Spare, Threads);
}
