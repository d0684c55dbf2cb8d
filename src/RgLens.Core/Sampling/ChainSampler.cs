using RgLens.Data;
using RgLens.Models;

namespace RgLens.Sampling;

/// <summary>
/// Exact independent samples of any chain family (theory.md §1), dispatching to the family's
/// sampler. Values are returned as doubles (spins ±1, occupations 0/1, counts, reals), the common
/// currency of the probes and estimators; <see cref="IsingSampler"/> gives Ising spins as bytes.
/// </summary>
public static class ChainSampler
{
    /// <summary>Draws <paramref name="samples"/> configurations of <paramref name="model"/>; same seed, same numbers.</summary>
    /// <exception cref="ModelDomainException">The model is invalid.</exception>
    public static SampleMatrix<double> Sample(ChainModel model, int samples, ulong seed, int threads = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        model.Validated();
        return model.Parameters switch
        {
            IsingParameters => IsingSampler.Sample(model, samples, seed, threads, cancellation).Convert<double>(),
            _ => throw new RgLensException($"sampling the {model.Family.Name} family is not available yet."),
        };
    }
}
