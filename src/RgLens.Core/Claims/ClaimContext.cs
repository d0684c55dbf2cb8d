using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Results;

namespace RgLens.Claims;

/// <summary>
/// Everything a claim reads: the input, the RG side, the margin and confidence, and the indexed
/// measurements of every network in every condition.
/// </summary>
/// <param name="Theta0">The input model θ0.</param>
/// <param name="Rg">The RG side (flow, R_b per compression, fixed point).</param>
/// <param name="Compressions">The compressions b of the run.</param>
/// <param name="Seeds">Seeds per objective and compression.</param>
/// <param name="Margin">The equivalence margin δ.</param>
/// <param name="ConfidenceLevel">1 − α.</param>
/// <param name="Runs">Every network in every condition.</param>
/// <param name="TargetUncertainty">Standard errors of the RG targets when θ0 was fitted to data; null when θ0 is given.</param>
public sealed record ClaimContext(
    ChainParameters Theta0,
    RgSide Rg,
    IReadOnlyList<int> Compressions,
    int Seeds,
    double Margin,
    double ConfidenceLevel,
    IReadOnlyList<NetworkRun> Runs,
    RgUncertainty? TargetUncertainty = null)
{
    private Dictionary<(string, Objective, int, int), NetworkRun>? _index;

    /// <summary>α = 1 − confidence.</summary>
    public double Alpha => 1 - ConfidenceLevel;

    /// <summary>The largest compression; its pyramid is read layer by layer and along training.</summary>
    public int DeepestCompression => Compressions.Max();

    /// <summary>Layers of the deepest pyramid (log2 of its compression).</summary>
    public int Depth => System.Numerics.BitOperations.Log2((uint)DeepestCompression);

    /// <summary>Whether the input is an Ising chain, so that a binary reading's K and h sit on the input's scale.</summary>
    public bool IsingInput => Theta0.Family.Name == IsingFamily.Instance.Name;

    /// <summary>The value of parameter <paramref name="name"/> at θ*(θ0).</summary>
    public double FixedPoint(string name)
    {
        var names = Theta0.Family.Parameters.Select(p => p.Name).ToArray();
        int i = Array.IndexOf(names, name);
        return i < 0 ? double.NaN : Rg.FixedPoint[i];
    }

    /// <summary>The network of one condition, objective, compression and seed (null when absent).</summary>
    public NetworkRun? Run(string condition, Objective objective, int compression, int seed)
    {
        _index ??= Runs.ToDictionary(r => (r.Condition, r.Objective, r.Compression, r.SeedIndex));
        return _index.GetValueOrDefault((condition, objective, compression, seed));
    }

    /// <summary>Per seed, the measurement of <paramref name="reading"/> at <paramref name="layer"/> of the pyramid with compression b (null entries where absent).</summary>
    public IReadOnlyList<ReadingMeasurement?> PerSeed(string condition, Objective objective, string reading, int compression, int layer) =>
        Enumerable.Range(0, Seeds).Select(s => Run(condition, objective, compression, s) is { } run && layer <= run.Layers.Count
            ? run.Layers[layer - 1].Readings.FirstOrDefault(m => m.Reading == reading) : null).ToArray();

    /// <summary>The networks of one condition and objective.</summary>
    public IEnumerable<NetworkRun> Networks(string condition, Objective objective) =>
        Runs.Where(r => r.Condition == condition && r.Objective == objective);

    /// <summary>Whether a reading's K and h can be set against the input family's RG points.</summary>
    public bool OnInputScale(IReading reading) => reading.IsingScale && IsingInput;
}
