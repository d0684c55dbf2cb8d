using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Sampling;

/// <summary>
/// Exact independent samples of any chain family (docs/theory.md, "Transfer matrices and exact oracles"), dispatching to the family's
/// sampler: transfer-matrix forward sampling for Ising, the banded Cholesky factor for Gaussian,
/// forward filtering–backward sampling on the family's grid for the others. Values are returned
/// as doubles (spins ±1, occupations 0/1, counts, reals), the common currency of the probes and
/// estimators; <see cref="IsingSampler"/> gives Ising spins as bytes. Every sampler draws rows in
/// blocks of <see cref="RowsPerStream"/> from streams derived from the seed, so results do not
/// depend on the thread count.
/// </summary>
public static class ChainSampler
{
    /// <summary>Rows that share one random stream in every sampler; partial requests start at multiples of it.</summary>
    public const int RowsPerStream = 64;

    /// <summary>Draws <paramref name="samples"/> configurations of <paramref name="model"/>; same seed, same numbers.</summary>
    /// <exception cref="ModelDomainException">The model is invalid.</exception>
    public static SampleMatrix<double> Sample(ChainModel model, int samples, ulong seed, int threads = 0, CancellationToken cancellation = default, GridOptions? grid = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        model.Validated();
        var result = new SampleMatrix<double>(samples, model.Length);
        SampleInto(model, seed, 0, result, threads, cancellation, grid);
        return result;
    }

    /// <summary>How <paramref name="family"/> is sampled, in a few words (for manifests).</summary>
    public static string Describe(ChainFamily family) => family switch
    {
        IsingFamily => "transfer-matrix forward sampling",
        GaussianFamily => "banded Cholesky factor of the precision matrix",
        _ => "forward filtering-backward sampling on the grid",
    };

    /// <summary>
    /// Fills <paramref name="destination"/> with rows <paramref name="firstRow"/> … of the sample
    /// stream for (model, seed): calling it block by block yields the same numbers as one call.
    /// </summary>
    public static void SampleInto(ChainModel model, ulong seed, long firstRow, SampleMatrix<double> destination, int threads = 0,
        CancellationToken cancellation = default, GridOptions? grid = null)
    {
        model.Validated();
        switch (model.Parameters)
        {
            case IsingParameters:
                var spins = new SampleMatrix<sbyte>(destination.Rows, destination.Columns);
                IsingSampler.SampleInto(model, seed, firstRow, spins, threads, cancellation);
                for (long i = 0; i < spins.Data.LongLength; i++) destination.Data[i] = spins.Data[i];
                break;
            case GaussianParameters when grid?.PreferNumeric != true:
                GaussianChainSampler.SampleInto(model, seed, firstRow, destination, threads, cancellation);
                break;
            default:
                GridChainSampler.SampleInto(model, seed, firstRow, destination, threads, cancellation, grid);
                break;
        }
    }
}
