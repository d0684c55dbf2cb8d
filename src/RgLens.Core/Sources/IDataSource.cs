using RgLens.Data;
using RgLens.Models;

namespace RgLens.Sources;

/// <summary>
/// Where a network's training data come from. A new source is one class implementing this and
/// one line in <see cref="DataSources"/>.
/// </summary>
public interface IDataSource
{
    /// <summary>Short id ("model", "null").</summary>
    string Id { get; }

    /// <summary>The chain model the configurations are drawn from.</summary>
    ChainModel Model { get; }

    /// <summary>One sentence saying what the data are.</summary>
    string Describe();

    /// <summary>Draws <paramref name="rows"/> configurations (samples × N).</summary>
    SampleMatrix<float> Sample(int rows, ulong seed, int threads, CancellationToken cancellation = default);
}

/// <summary>What a source is built from: the input model, the RG fixed point it flows to, and the user's data when there are some.</summary>
/// <param name="Input">The input chain θ0 (N, boundary).</param>
/// <param name="FixedPoint">θ*(θ0), the stable fixed point of the RG.</param>
/// <param name="Data">The user's training configurations (<c>correspond --data</c>), or null.</param>
public sealed record SourceContext(ChainModel Input, ChainParameters FixedPoint, SampleMatrix<float>? Data = null);
