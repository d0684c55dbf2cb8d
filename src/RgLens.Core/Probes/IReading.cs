namespace RgLens.Probes;

/// <summary>
/// A way of reading a layer's units as a chain (docs/theory-choices.md, "Readings"). A new reading
/// is one class implementing this and one line in <see cref="Readings"/>.
/// </summary>
public interface IReading
{
    /// <summary>Short id used on the command line and in files (e.g. "sign").</summary>
    string Id { get; }

    /// <summary>One sentence for help texts and reports.</summary>
    string Description { get; }

    /// <summary>
    /// Whether the reading gives spins ±1 fitted by an Ising chain, so that its K and h sit on the
    /// scale of an Ising input's parameters; otherwise only "no coupling" (0) is a comparable target.
    /// </summary>
    bool IsingScale { get; }

    /// <summary>Roughly how long the reading takes relative to the sign reading; readings run side by side start with the longest.</summary>
    double RelativeCost => 1;

    /// <summary>
    /// Whether the reading holds a copy of the whole layer (samples × units) while it runs. A
    /// schedule that runs readings side by side runs such readings one after another where other
    /// work is left, so that they reuse one copy's memory (<see cref="ScratchArrays"/>) instead of
    /// each touching fresh memory.
    /// </summary>
    bool CopiesLayer => false;

    /// <summary>Reads one layer.</summary>
    ReadingMeasurement Read(ReadingInput input);
}
