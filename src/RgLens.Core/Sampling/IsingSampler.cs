using RgLens.Data;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Sampling;

/// <summary>
/// Exact, independent samples of the Ising chain (docs/theory.md, "Transfer matrices and exact oracles") by transfer-matrix forward
/// sampling: s_1 from its exact marginal, then each spin from its exact conditional given the
/// previous one (a ring conditions on s_1). No Markov chain, no burn-in. Each block of
/// <see cref="RowsPerStream"/> rows draws from its own random stream derived from the seed, so
/// the bytes depend only on (model, seed), never on the thread count. Where a 64-bond block has a
/// flip probability that does not depend on the previous spin (h = 0, away from a ring's end),
/// 64 bonds are drawn at once with vector compares and a prefix XOR; elsewhere the compares are
/// still vectorized for both possible previous spins and only the actual flips are walked.
/// Throughput and the instruction path are reported by <c>rglens bench sample</c>.
/// </summary>
public static class IsingSampler
{
    /// <summary>Rows that share one random stream; row offsets of partial requests must be multiples of it.</summary>
    public const int RowsPerStream = RowBlocks.RowsPerStream;

    /// <summary>Draws <paramref name="samples"/> configurations of <paramref name="model"/>.</summary>
    /// <param name="model">An Ising chain model.</param>
    /// <param name="samples">Number of samples (rows), at least 1.</param>
    /// <param name="seed">The user seed; same seed, same bytes.</param>
    /// <param name="threads">Worker threads; 0 for one per core. Does not change the result.</param>
    /// <param name="cancellation">Stops the work between blocks.</param>
    public static SampleMatrix<sbyte> Sample(ChainModel model, int samples, ulong seed, int threads = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var result = new SampleMatrix<sbyte>(samples, model.Length);
        SampleInto(model, seed, 0, result, threads, cancellation);
        return result;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with rows <paramref name="firstRow"/> … of the sample
    /// stream for (model, seed): calling it block by block yields the same bytes as one call.
    /// </summary>
    public static void SampleInto(ChainModel model, ulong seed, long firstRow, SampleMatrix<sbyte> destination, int threads = 0, CancellationToken cancellation = default)
    {
        var p = Validate(model);
        var plan = IsingSamplingPlan.Build(model, p);
        RowBlocks.Run(model, firstRow, destination.Rows, destination.Columns, threads, cancellation,
            () => new ulong[RoundUp(model.Length, IsingSamplingPlan.BlockBits)], (stream, r0, r1, buffer) =>
        {
            var rng = new LaneRandom(RandomStream.Derive(seed, "ising-sampler", stream));
            var u = buffer.AsSpan(0, RoundUp(model.Length, LaneRandom.Lanes));
            for (int r = r0; r < r1; r++)
            {
                rng.Fill(u);
                SampleRow(plan, buffer, destination.Row(r));
            }
        });
    }

    /// <summary>The instruction path the sampler's kernels take on this machine.</summary>
    public static string KernelPath => LaneRandom.Path;

    /// <summary>One row from its uniforms, taking the bit-parallel path for uniform blocks.</summary>
    internal static void SampleRow(IsingSamplingPlan plan, ReadOnlySpan<ulong> u, Span<sbyte> row)
    {
        int n = plan.Length;
        bool firstPlus = u[0] < plan.FirstSitePlus;
        int column = plan.Periodic && !firstPlus ? 1 : 0;
        ulong carry = 0; // 1 when the previous spin is −1
        for (int b = 0; b < plan.Blocks; b++)
        {
            int j0 = b * IsingSamplingPlan.BlockBits;
            int count = Math.Min(IsingSamplingPlan.BlockBits, n - j0);
            if (plan.IsUniform(column, b))
            {
                ulong flips = SpinBits.BelowThreshold(u[j0..], plan.UniformThreshold(column, b), count);
                if (b == 0) flips = (flips & ~1UL) | (firstPlus ? 0UL : 1UL);
                ulong bits = SpinBits.PrefixXor(flips) ^ (0UL - carry);
                SpinBits.Expand(bits, row[j0..], count);
                carry = (bits >> (count - 1)) & 1;
            }
            else
            {
                // Flip masks for both possible previous spins, then a walk over the actual flips.
                ulong afterPlus = SpinBits.BelowThresholds(u[j0..], plan.FlipsAfterPlus(column)[j0..], count);
                ulong afterMinus = SpinBits.BelowThresholds(u[j0..], plan.FlipsAfterMinus(column)[j0..], count);
                int start = 0;
                ulong flips = 0;
                if (b == 0)
                {
                    flips = firstPlus ? 0UL : 1UL;
                    carry = flips;
                    start = 1;
                }
                flips |= SpinBits.StateDependentFlips(afterPlus, afterMinus, carry, start, count);
                ulong bits = SpinBits.PrefixXor(flips) ^ (b == 0 ? 0UL : 0UL - carry);
                SpinBits.Expand(bits, row[j0..], count);
                carry = (bits >> (count - 1)) & 1;
            }
        }
    }

    /// <summary>The plain reference: every spin from its conditional, one at a time.</summary>
    internal static void SampleRowScalar(IsingSamplingPlan plan, ReadOnlySpan<ulong> u, Span<sbyte> row)
    {
        bool firstPlus = u[0] < plan.FirstSitePlus;
        int column = plan.Periodic && !firstPlus ? 1 : 0;
        int previousIsMinus = firstPlus ? 0 : 1;
        row[0] = firstPlus ? (sbyte)1 : (sbyte)-1;
        for (int j = 1; j < plan.Length; j++)
        {
            bool flip = u[j] < plan.Flip(column, j, previousIsMinus);
            previousIsMinus ^= flip ? 1 : 0;
            row[j] = previousIsMinus == 1 ? (sbyte)-1 : (sbyte)1;
        }
    }

    private static IsingParameters Validate(ChainModel model)
    {
        model.Validated();
        return model.Parameters as IsingParameters
            ?? throw new RgLensException($"IsingSampler samples Ising chains; got the {model.Family.Name} family.");
    }

    private static int RoundUp(int n, int m) => (n + m - 1) / m * m;
}
