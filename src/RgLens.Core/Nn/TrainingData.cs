using System.Runtime.InteropServices;
using RgLens.Data;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The samples of a training run: the train/validation split (stream "nn-split" of the seed) and
/// each epoch's order of the training rows (stream ("nn-shuffle", epoch)), so any epoch's batches
/// can be rebuilt from the seed alone, as a resumed run needs.
/// </summary>
internal sealed class TrainingData
{
    private readonly int[] _train;
    private readonly ulong _seed;

    public TrainingData(SampleMatrix<float> inputs, SampleMatrix<float> targets, double validationFraction, ulong seed)
    {
        Inputs = inputs;
        Targets = targets;
        _seed = seed;
        int n = inputs.Rows;
        int validation = validationFraction > 0 ? (int)Math.Clamp(Math.Round(validationFraction * n), 1, n - 1) : 0;
        var order = Enumerable.Range(0, n).ToArray();
        RandomStream.For(seed, "nn-split").Shuffle(order.AsSpan());
        ValidationRows = order[..validation];
        Array.Sort(ValidationRows);
        _train = order[validation..];
        Array.Sort(_train);
        EpochRows = new int[_train.Length];
    }

    /// <summary>All input rows.</summary>
    public SampleMatrix<float> Inputs { get; }

    /// <summary>All target rows (the inputs themselves for an autoencoder).</summary>
    public SampleMatrix<float> Targets { get; }

    /// <summary>Rows held out for validation, ascending.</summary>
    public int[] ValidationRows { get; }

    /// <summary>Number of training rows.</summary>
    public int TrainCount => _train.Length;

    /// <summary>The training rows in the order of the epoch last passed to <see cref="Arrange"/>.</summary>
    public int[] EpochRows { get; }

    /// <summary>Batches per epoch (the last one may be partial).</summary>
    public int BatchesPerEpoch(int batchSize) => (TrainCount + batchSize - 1) / batchSize;

    /// <summary>Puts the training rows into epoch <paramref name="epoch"/>'s order (0-based).</summary>
    public void Arrange(int epoch)
    {
        _train.CopyTo(EpochRows, 0);
        RandomStream.For(_seed, "nn-shuffle", epoch).Shuffle(EpochRows.AsSpan());
    }

    /// <summary>A 64-bit fingerprint of the inputs and targets (shape and every value), to refuse resuming on other data.</summary>
    public static ulong Fingerprint(SampleMatrix<float> inputs, SampleMatrix<float> targets)
    {
        ulong h = SplitMix64.Mix((ulong)inputs.Rows * 0x9E37UL ^ (ulong)inputs.Columns << 32 ^ (ulong)targets.Columns << 48);
        foreach (var m in ReferenceEquals(inputs, targets) ? new[] { inputs } : new[] { inputs, targets })
        {
            var words = MemoryMarshal.Cast<float, uint>(m.Data.AsSpan());
            for (int i = 0; i < words.Length; i++) h = SplitMix64.Mix(h ^ words[i]);
        }
        return h;
    }
}
