using RgLens.Data;
using RgLens.Numerics;

namespace RgLens.Probes;

/// <summary>
/// The binary readings of a layer (docs/theory.md, "Readings"): units become spins y_j = ±1,
/// deterministically by the sign of the pre-activation or stochastically through the kernel
/// P(y_j = +1 | x) = (1 + tanh a_j)/2, which treats the layer as a stochastic map from input to
/// output configurations, exactly as an RG step is.
/// </summary>
public static class BinaryReadings
{
    /// <summary>Rows that share one random stream in <see cref="Stochastic"/>.</summary>
    public const int RowsPerStream = 256;

    /// <summary>y_j = sign(a_j), with a_j = 0 read as +1.</summary>
    public static SampleMatrix<sbyte> Sign<T>(SampleMatrix<T> preActivations) where T : unmanaged, System.Numerics.INumber<T>
    {
        var y = new SampleMatrix<sbyte>(preActivations.Rows, preActivations.Columns);
        if (preActivations is SampleMatrix<float> f)
        {
            var src = f.Data;
            for (long i = 0; i < src.LongLength; i++) y.Data[i] = src[i] >= 0f ? (sbyte)1 : (sbyte)-1;
            return y;
        }
        for (long i = 0; i < y.Data.LongLength; i++) y.Data[i] = preActivations.Data[i] >= T.Zero ? (sbyte)1 : (sbyte)-1;
        return y;
    }

    /// <summary>
    /// y_j = +1 with probability (1 + tanh a_j)/2, independently given the input; each block of
    /// <see cref="RowsPerStream"/> rows draws from its own stream below <paramref name="seed"/>.
    /// </summary>
    public static SampleMatrix<sbyte> Stochastic<T>(SampleMatrix<T> preActivations, ulong seed, int threads = 1) where T : unmanaged, System.Numerics.INumber<T>
    {
        var y = new SampleMatrix<sbyte>(preActivations.Rows, preActivations.Columns);
        int blocks = (y.Rows + RowsPerStream - 1) / RowsPerStream;
        // Blocks are independent (each has its own stream), so threads change nothing but the speed.
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, () => new double[y.Columns], (block, _, row) =>
        {
            var rng = RandomStream.For(seed, "stochastic-reading", block);
            int end = Math.Min(y.Rows, (block + 1) * RowsPerStream);
            for (int r = block * RowsPerStream; r < end; r++)
            {
                // P(+1) = (1 + tanh a)/2, the tanh taken for the whole row at once (vectorized).
                var src = preActivations.Row(r);
                for (int j = 0; j < row.Length; j++) row[j] = double.CreateTruncating(src[j]);
                System.Numerics.Tensors.TensorPrimitives.Tanh(row, row);
                var dst = y.Row(r);
                for (int j = 0; j < row.Length; j++) dst[j] = rng.NextDouble() < 0.5 * (1 + row[j]) ? (sbyte)1 : (sbyte)-1;
            }
            return row;
        }, _ => { });
        return y;
    }
}
