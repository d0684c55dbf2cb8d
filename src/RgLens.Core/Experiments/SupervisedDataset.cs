using RgLens.Data;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Sampling;

namespace RgLens.Experiments;

/// <summary>
/// Training data of the supervised objective: configurations pooled over a box of
/// generating parameters around θ0, each group of <see cref="RowsPerParameter"/> rows drawn from
/// one θ uniform in the box (points outside the family's domain are redrawn), with θ's user-facing
/// values as regression targets.
/// </summary>
public static class SupervisedDataset
{
    /// <summary>Rows that share one generating θ.</summary>
    public const int RowsPerParameter = 64;

    /// <summary>The default half-width per parameter: max(0.25, |θ0_i| / 2).</summary>
    public static double[] DefaultSpread(ChainParameters theta0) => theta0.Values().Select(v => Math.Max(0.25, Math.Abs(v) / 2)).ToArray();

    /// <summary>Inputs (rows × N) and targets (rows × parameters) for one seed.</summary>
    public static (SampleMatrix<float> Inputs, SampleMatrix<float> Targets) Build(CorrespondenceConfig config, ulong seed, CancellationToken cancellation = default)
    {
        var center = config.Theta0.Values();
        var spread = config.SupervisedSpread?.ToArray() ?? DefaultSpread(config.Theta0);
        int rows = config.TrainSamples, n = config.Length, d = center.Length;
        var inputs = new SampleMatrix<float>(rows, n);
        var targets = new SampleMatrix<float>(rows, d);
        var rng = RandomStream.For(seed, "supervised-theta");
        for (int group = 0; group * RowsPerParameter < rows; group++)
        {
            cancellation.ThrowIfCancellationRequested();
            var theta = Draw(config.Theta0.Family, center, spread, rng);
            int first = group * RowsPerParameter, count = Math.Min(RowsPerParameter, rows - first);
            var x = ChainSampler.Sample(new ChainModel(theta, n, config.Boundary), count, RandomStream.Derive(seed, "supervised-x", group), threads: 1);
            double[] t = theta.Values();
            for (int r = 0; r < count; r++)
            {
                for (int c = 0; c < n; c++) inputs[first + r, c] = (float)x[r, c];
                for (int k = 0; k < d; k++) targets[first + r, k] = (float)t[k];
            }
        }
        return (inputs, targets);
    }

    private static ChainParameters Draw(ChainFamily family, double[] center, double[] spread, RandomStream rng)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            var v = center.Select((c, i) => c + spread[i] * (2 * rng.NextDouble() - 1)).ToArray();
            try
            {
                return family.Create(v);
            }
            catch (ModelDomainException)
            {
                // outside the family's domain: draw again
            }
        }
        throw new RgLensException($"the supervised box around {string.Join(", ", center)} lies (almost) entirely outside the {family.Name} domain; choose a smaller spread.");
    }
}
