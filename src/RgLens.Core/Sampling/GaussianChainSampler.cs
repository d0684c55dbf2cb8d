using RgLens.Data;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Sampling;

/// <summary>
/// Exact, independent samples of the Gaussian chain (docs/theory.md, "Transfer matrices and exact oracles") by the banded Cholesky factor
/// of its tridiagonal precision (<see cref="GaussianSamplingPlan"/>): O(N) per sample, no Markov
/// chain. Rows 64k … 64k + 63 draw their normal deviates from the stream
/// <c>Derive(seed, "gaussian-sampler", k)</c>, so the numbers depend only on (model, seed), never
/// on the thread count, and any row range (in multiples of 64) equals the same rows of one request.
/// </summary>
public static class GaussianChainSampler
{
    /// <summary>Rows that share one random stream; row offsets of partial requests must be multiples of it.</summary>
    public const int RowsPerStream = RowBlocks.RowsPerStream;

    /// <summary>Draws <paramref name="samples"/> configurations of a Gaussian chain <paramref name="model"/>.</summary>
    public static SampleMatrix<double> Sample(ChainModel model, int samples, ulong seed, int threads = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var result = new SampleMatrix<double>(samples, model.Length);
        SampleInto(model, seed, 0, result, threads, cancellation);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> with rows <paramref name="firstRow"/> … of the sample stream for (model, seed).</summary>
    public static void SampleInto(ChainModel model, ulong seed, long firstRow, SampleMatrix<double> destination, int threads = 0, CancellationToken cancellation = default)
    {
        model.Validated();
        var p = model.Parameters as GaussianParameters
            ?? throw new RgLensException($"GaussianChainSampler samples Gaussian chains; got the {model.Family.Name} family.");
        var plan = GaussianSamplingPlan.Build(model, p);
        RowBlocks.Run(model, firstRow, destination.Rows, destination.Columns, threads, cancellation, () => new double[model.Length], (stream, r0, r1, z) =>
        {
            var rng = RandomStream.For(seed, "gaussian-sampler", stream);
            for (int r = r0; r < r1; r++)
            {
                NormalDeviates.Fill(rng, z);
                plan.SampleRow(z, destination.Row(r));
            }
        });
    }
}
