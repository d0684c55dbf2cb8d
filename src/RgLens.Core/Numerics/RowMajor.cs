namespace RgLens.Numerics;

/// <summary>
/// A row-major matrix as the kernels see it: the array, rows (samples) and columns. The kernels
/// of this namespace take it instead of the sample matrix of the data stage (a later stage), which
/// converts to it implicitly.
/// </summary>
/// <param name="Data">The values, row after row (at least rows × columns).</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Number of columns.</param>
public readonly record struct RowMajor<T>(T[] Data, int Rows, int Columns) where T : unmanaged
{
    /// <summary>Row <paramref name="row"/>.</summary>
    public Span<T> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public T this[int row, int column] => Data[(long)row * Columns + column];
}
