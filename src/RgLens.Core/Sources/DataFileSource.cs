using RgLens.Data;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Sources;

/// <summary>
/// The user's configurations (<c>correspond --data</c>): the training part of the file, in a seeded
/// order. It cannot draw fresh samples: asking for more rows than it holds gives all of them.
/// </summary>
public sealed class DataFileSource : IDataSource
{
    private readonly SampleMatrix<float> _rows;

    /// <summary>The source over <paramref name="context"/>'s data.</summary>
    /// <exception cref="ArgumentException">The context holds no data.</exception>
    public DataFileSource(SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _rows = context.Data ?? throw new ArgumentException("the data source needs the user's data (correspond --data).");
        Model = context.Input;
    }

    /// <inheritdoc/>
    public string Id => "data";

    /// <inheritdoc/>
    public ChainModel Model { get; }

    /// <inheritdoc/>
    public string Describe() => $"{_rows.Rows} configurations from the user's file (θ0 fitted: {Model.Parameters.Describe()})";

    /// <inheritdoc/>
    public SampleMatrix<float> Sample(int rows, ulong seed, int threads, CancellationToken cancellation = default)
    {
        int n = Math.Min(rows, _rows.Rows);
        var order = RandomStream.For(seed, "data-order").Permutation(_rows.Rows);
        return _rows.SelectRows(order.AsSpan(0, n));
    }
}
