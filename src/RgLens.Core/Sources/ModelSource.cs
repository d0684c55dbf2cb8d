using RgLens.Data;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Sources;

/// <summary>Exact samples of the input chain θ0.</summary>
public sealed class ModelSource(ChainModel model) : IDataSource
{
    /// <inheritdoc/>
    public string Id => "model";

    /// <inheritdoc/>
    public ChainModel Model { get; } = model;

    /// <inheritdoc/>
    public string Describe() => $"exact samples of the input chain ({Model.Parameters.Describe()}, N={Model.Length}, {Model.Boundary.ToString().ToLowerInvariant()})";

    /// <inheritdoc/>
    public SampleMatrix<float> Sample(int rows, ulong seed, int threads, CancellationToken cancellation = default) =>
        ChainSampler.Sample(Model, rows, seed, threads, cancellation).Convert<float>();
}
