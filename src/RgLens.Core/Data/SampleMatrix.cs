using System.Numerics;

namespace RgLens.Data;

/// <summary>
/// A block of configurations: <see cref="Rows"/> samples x of a chain of <see cref="Columns"/>
/// sites (or the unit values of one network layer), row-major in one contiguous array.
/// Spins are stored as <see cref="sbyte"/> ±1, continuous data as <see cref="double"/> or
/// <see cref="float"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SampleMatrix<T> where T : unmanaged, INumber<T>
{
    /// <summary>A zero-filled matrix of the given shape.</summary>
    /// <exception cref="RgLensException">The matrix cannot be allocated (too many elements for one array, or more than the available memory).</exception>
    public SampleMatrix(int rows, int columns) : this(Allocate(rows, columns), rows, columns) { }

    private static T[] Allocate(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        MemoryBudget.RequireMatrix($"a {rows} x {columns} matrix of {typeof(T).Name}", rows, columns, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        return Numerics.LargeArrays.New<T>((long)rows * columns);
    }

    /// <summary>Wraps <paramref name="data"/> (row-major, length rows × columns) without copying.</summary>
    public SampleMatrix(T[] data, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (data.LongLength != (long)rows * columns)
            throw new ArgumentException($"data has {data.LongLength} elements; shape {rows} x {columns} needs {(long)rows * columns}.", nameof(data));
        Data = data;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The matrix as the numeric kernels take it (no copy).</summary>
    public static implicit operator Numerics.RowMajor<T>(SampleMatrix<T> m) => new(m.Data, m.Rows, m.Columns);

    /// <summary>Number of samples.</summary>
    public int Rows { get; }

    /// <summary>Number of sites (units) per sample.</summary>
    public int Columns { get; }

    /// <summary>The row-major elements.</summary>
    public T[] Data { get; }

    /// <summary>The sites of sample <paramref name="row"/>.</summary>
    public Span<T> Row(int row) => Data.AsSpan(row * Columns, Columns);

    /// <summary>Element (row, column).</summary>
    public T this[int row, int column]
    {
        get => Data[(long)row * Columns + column];
        set => Data[(long)row * Columns + column] = value;
    }

    /// <summary>A copy converted element-wise to <typeparamref name="TOut"/>.</summary>
    public SampleMatrix<TOut> Convert<TOut>() where TOut : unmanaged, INumber<TOut>
    {
        var result = new TOut[Data.Length];
        for (int i = 0; i < Data.Length; i++) result[i] = TOut.CreateTruncating(Data[i]);
        return new SampleMatrix<TOut>(result, Rows, Columns);
    }

    /// <summary>A copy of the rows listed in <paramref name="rows"/>.</summary>
    public SampleMatrix<T> SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new SampleMatrix<T>(rows.Length, Columns);
        for (int i = 0; i < rows.Length; i++) Row(rows[i]).CopyTo(result.Row(i));
        return result;
    }
}
