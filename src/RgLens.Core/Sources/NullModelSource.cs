using RgLens.Data;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Sources;

/// <summary>
/// The null data of the controls: independent sites drawn from the fixed point θ*(θ0) with its
/// coupling set to exactly 0. They share the single-site marginal the theorem predicts for the
/// feature layer but hold no correlation at all, so a network trained on them has nothing of the
/// input's correlations to learn: whatever it reads like, the input's structure did not cause it.
/// </summary>
public sealed class NullModelSource : IDataSource
{
    /// <summary>A null source for <paramref name="context"/>.</summary>
    public NullModelSource(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var star = context.FixedPoint;
        var values = star.Values();
        var names = star.Family.Parameters.Select(p => p.Name).ToArray();
        int k = Array.IndexOf(names, "K");
        if (k < 0) throw new ArgumentException($"the {star.Family.Name} family has no coupling K to switch off.");
        values[k] = 0;
        Model = new ChainModel(star.Family.Create(values), context.Input.Length, context.Input.Boundary);
    }

    /// <inheritdoc/>
    public string Id => "null";

    /// <inheritdoc/>
    public ChainModel Model { get; }

    /// <inheritdoc/>
    public string Describe() => $"independent sites from the fixed point with K = 0 ({Model.Parameters.Describe()})";

    /// <inheritdoc/>
    public SampleMatrix<float> Sample(int rows, ulong seed, int threads, CancellationToken cancellation = default) =>
        ChainSampler.Sample(Model, rows, seed, threads, cancellation).Convert<float>();
}
