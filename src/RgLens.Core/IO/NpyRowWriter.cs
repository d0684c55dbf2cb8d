using RgLens.Data;
using System.Numerics;

namespace RgLens.IO;

/// <summary>
/// Streams a samples × sites matrix into an NPY file row block by row block, so that a sampler
/// never holds more than one block in memory; the file appears atomically on <see cref="Commit"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class NpyRowWriter<T> : IDisposable where T : unmanaged, INumber<T>
{
    private readonly AtomicFile _file;
    private readonly long _rows;
    private readonly int _columns;
    private long _written;

    /// <summary>Starts <paramref name="path"/> for a matrix of the given shape.</summary>
    public NpyRowWriter(string path, long rows, int columns)
    {
        _file = AtomicFile.Create(path);
        _rows = rows;
        _columns = columns;
        _file.Stream.Write(NpyHeader.Encode(Npy.DTypeOf<T>(), [rows, columns]));
    }

    /// <summary>Appends the rows of <paramref name="block"/>.</summary>
    public void Append(SampleMatrix<T> block)
    {
        if (block.Columns != _columns) throw new ArgumentException($"block has {block.Columns} columns; the file has {_columns}.", nameof(block));
        if (_written + block.Rows > _rows) throw new InvalidOperationException("more rows than the header declares.");
        Npy.WriteElements<T>(_file.Stream, block.Data);
        _written += block.Rows;
    }

    /// <summary>Checks that every declared row was written and publishes the file.</summary>
    public void Commit()
    {
        if (_written != _rows) throw new InvalidOperationException($"{_written} of {_rows} rows written.");
        _file.Commit();
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
