using System.Globalization;
using RgLens.Data;

namespace RgLens.Nn;

/// <summary>
/// The memory a training run allocates, from the architecture, the batch size and the thread
/// count, computed in floating point so that no product overflows, and checked through
/// <see cref="MemoryBudget"/> before the network or any buffer is created.
/// </summary>
public static class TrainingFootprint
{
    /// <summary>The most worker threads a run may use (the same count gives the same bits; far more than any machine's cores).</summary>
    public const int MaxThreads = 1024;

    /// <summary>The parameter count of <paramref name="spec"/> (weights and biases), without overflow.</summary>
    public static double Parameters(NetworkSpec spec)
    {
        var widths = spec.Widths;
        double p = 0;
        for (int l = 1; l < widths.Count; l++)
        {
            var layer = spec.Layers[l - 1];
            p += layer.Kind == LayerKind.Conv1d
                ? (double)layer.OutChannels * layer.InChannels * layer.Kernel + (layer.Bias ? layer.OutChannels : 0)
                : (double)widths[l - 1] * widths[l] + (layer.Bias ? widths[l] : 0);
        }
        return p;
    }

    /// <summary>
    /// At least the bytes of a run: the parameters with their transposes, optimizer moments, best
    /// and epoch-end copies (7 vectors), one gradient per thread, and each thread's share of the
    /// batch times the layer widths (inputs, activations, back-propagated gradients, targets, logits).
    /// Also returns the largest single array.
    /// </summary>
    public static (double Bytes, double LargestArray) Estimate(NetworkSpec spec, int batchSize, int threads)
    {
        var widths = spec.Widths;
        double p = Parameters(spec);
        double share = Math.Ceiling((double)batchSize / threads);
        double perRow = widths[0] + 3.0 * widths[^1], widest = 0;
        for (int l = 1; l < widths.Count; l++)
        {
            perRow += 2.0 * widths[l];
            widest = Math.Max(widest, widths[l]);
            var layer = spec.Layers[l - 1];
            if (layer.Kind == LayerKind.Conv1d)
            {
                double gathered = (double)layer.OutputSites * layer.InChannels * layer.Kernel;
                perRow += gathered;
                widest = Math.Max(widest, gathered);
            }
        }
        widest = Math.Max(widest, widths[0]);
        double floats = 7 * p + threads * p + threads * share * perRow;
        return (floats * sizeof(float), Math.Max(p, share * widest));
    }

    /// <summary>Refuses a run that cannot fit before anything is allocated.</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="batchSize">Rows per step.</param>
    /// <param name="threads">Worker threads.</param>
    /// <param name="what">What was asked, for the message (default: the spec, batch and threads).</param>
    /// <exception cref="RgLensException">Too many threads, or the run does not fit one array or the memory.</exception>
    public static void Require(NetworkSpec spec, int batchSize, int threads, string? what = null)
    {
        if (threads > MaxThreads)
            throw new RgLensException($"{threads} threads asked; at most {MaxThreads} are allowed (this machine has {Environment.ProcessorCount} cores).");
        var (bytes, largest) = Estimate(spec, batchSize, Math.Max(1, threads));
        what ??= string.Create(CultureInfo.InvariantCulture, $"training {spec.Describe()} with batches of {batchSize} on {threads} threads");
        what += string.Create(CultureInfo.InvariantCulture, $" ({Parameters(spec):G4} parameters)");
        MemoryBudget.Require(what, bytes, largest);
    }
}
