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
    /// <summary>Rows that share one random stream in <see cref="Stochastic(SampleMatrix{float}, UnitGauge, ulong, int)"/>.</summary>
    public const int RowsPerStream = 256;

    /// <summary>y_j = sign(a_j), with a_j = 0 read as +1.</summary>
    public static SampleMatrix<sbyte> Sign(SampleMatrix<float> preActivations) => Sign(preActivations, UnitGauge.Identity(preActivations.Columns));

    /// <summary>
    /// y_j = +1 with probability (1 + tanh a_j)/2, independently given the input; each block of
    /// <see cref="RowsPerStream"/> rows draws from its own stream below <paramref name="seed"/>,
    /// so threads change nothing but the speed.
    /// </summary>
    public static SampleMatrix<sbyte> Stochastic(SampleMatrix<float> preActivations, ulong seed, int threads = 1) =>
        Stochastic(preActivations, UnitGauge.Identity(preActivations.Columns), seed, threads);

    /// <summary><see cref="Sign(SampleMatrix{float})"/> of the gauge-fixed pre-activations, without the intermediate matrix.</summary>
    public static SampleMatrix<sbyte> Sign(SampleMatrix<float> preActivations, UnitGauge gauge)
    {
        ArgumentNullException.ThrowIfNull(preActivations);
        ArgumentNullException.ThrowIfNull(gauge);
        CheckWidth(preActivations, gauge);
        var fix = gauge.Rows();
        var y = ScratchArrays.RentMatrix<sbyte>(preActivations.Rows, preActivations.Columns); // every entry written below
        for (int r = 0; r < y.Rows; r++)
        {
            ReadOnlySpan<float> src = preActivations.Row(r);
            var dst = y.Row(r);
            for (int k = 0; k < dst.Length; k++) dst[k] = SignOf(fix.At(src, k));
        }
        return y;
    }

    /// <summary><see cref="Stochastic(SampleMatrix{float}, ulong, int)"/> of the gauge-fixed pre-activations, without the intermediate matrix: the same draws.</summary>
    public static SampleMatrix<sbyte> Stochastic(SampleMatrix<float> preActivations, UnitGauge gauge, ulong seed, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(preActivations);
        ArgumentNullException.ThrowIfNull(gauge);
        CheckWidth(preActivations, gauge);
        var fix = gauge.Rows();
        var y = ScratchArrays.RentMatrix<sbyte>(preActivations.Rows, preActivations.Columns); // every entry written below
        int blocks = (y.Rows + RowsPerStream - 1) / RowsPerStream;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, () => (Row: new double[y.Columns], Uniform: new double[y.Columns]), (block, _, buffers) =>
        {
            var (row, uniform) = buffers;
            var rng = RandomStream.For(seed, "stochastic-reading", block);
            int end = Math.Min(y.Rows, (block + 1) * RowsPerStream);
            for (int r = block * RowsPerStream; r < end; r++)
            {
                ReadOnlySpan<float> src = preActivations.Row(r);
                for (int k = 0; k < row.Length; k++) row[k] = fix.At(src, k);
                System.Numerics.Tensors.TensorPrimitives.Tanh(row, row);
                rng.NextDoubles(uniform); // the draws of one NextDouble per unit, in unit order
                var dst = y.Row(r);
                for (int j = 0; j < row.Length; j++) dst[j] = Below(uniform[j], 0.5 * (1 + row[j]));
            }
            return buffers;
        }, _ => { });
        return y;
    }

    /// <summary>+1 for a ≥ 0 (−0 included, as the comparison has it), −1 below, without a branch: the sign bit of a + 0 (which turns −0 into +0).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static sbyte SignOf(float a) => (sbyte)((BitConverter.SingleToInt32Bits(a + 0f) >> 31) | 1);

    /// <summary>+1 when u &lt; p, else −1, without a branch: the sign bit of u − p (u = p gives +0).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static sbyte Below(double u, double p) => (sbyte)(((int)((ulong)BitConverter.DoubleToInt64Bits(u - p) >> 63) << 1) - 1);

    private static void CheckWidth(SampleMatrix<float> m, UnitGauge gauge)
    {
        if (m.Columns != gauge.Order.Count) throw new ArgumentException($"the gauge has {gauge.Order.Count} units; the matrix has {m.Columns} columns.");
    }
}
