using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using RgLens.Data;

namespace RgLens.IO;

/// <summary>
/// Reads and writes NumPy's NPY format (readable by <c>numpy.load</c>), kept in this one file.
/// Matrices are samples × sites; writes are atomic.
/// </summary>
public static class Npy
{
    /// <summary>The NPY element type that stores <typeparamref name="T"/>.</summary>
    public static NpyDType DTypeOf<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(sbyte) => NpyDType.Int8,
        var t when t == typeof(byte) => NpyDType.UInt8,
        var t when t == typeof(short) => NpyDType.Int16,
        var t when t == typeof(int) => NpyDType.Int32,
        var t when t == typeof(long) => NpyDType.Int64,
        var t when t == typeof(float) => NpyDType.Float32,
        var t when t == typeof(double) => NpyDType.Float64,
        _ => throw new NotSupportedException($"NPY has no element type for {typeof(T).Name}."),
    };

    /// <summary>Writes a C-order array of the given shape to <paramref name="stream"/>.</summary>
    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        long count = 1;
        foreach (long d in shape) count *= d;
        if (count != data.Length) throw new ArgumentException($"shape holds {count} elements; data has {data.Length}.", nameof(shape));
        stream.Write(NpyHeader.Encode(DTypeOf<T>(), shape));
        WriteElements(stream, data);
    }

    /// <summary>Writes <paramref name="matrix"/> (samples × sites) to <paramref name="path"/> atomically.</summary>
    public static void WriteMatrix<T>(string path, SampleMatrix<T> matrix) where T : unmanaged, INumber<T>
    {
        using var file = AtomicFile.Create(path);
        Write<T>(file.Stream, matrix.Data, [matrix.Rows, matrix.Columns]);
        file.Commit();
    }

    /// <summary>
    /// Reads a 2-D array (a 1-D array is read as one row) from <paramref name="path"/>, converting
    /// each element to <typeparamref name="T"/> as it is read. An integer target requires integral
    /// values in range; <paramref name="rule"/> (default: any value) is checked chunk by chunk.
    /// </summary>
    /// <exception cref="DataFormatException">Missing file, not NPY, truncated, wrong rank, or values that do not fit or break the rule.</exception>
    public static SampleMatrix<T> ReadMatrix<T>(string path, ValueRule? rule = null) where T : unmanaged, INumber<T>
    {
        using var stream = OpenForReading(path);
        return ReadMatrix<T>(stream, path, rule);
    }

    /// <summary>Reads a 2-D array from <paramref name="stream"/>; see <see cref="ReadMatrix{T}(string, ValueRule?)"/>.</summary>
    /// <param name="stream">The NPY content, at its start.</param>
    /// <param name="name">The file's name for messages.</param>
    /// <param name="rule">What every value must satisfy (default: any value).</param>
    /// <param name="length">The stream's length where the stream cannot say it (an NPZ member); checked against the header before anything is allocated.</param>
    public static SampleMatrix<T> ReadMatrix<T>(Stream stream, string name, ValueRule? rule = null, long? length = null) where T : unmanaged, INumber<T>
    {
        var h = NpyHeader.Read(stream, name);
        if (h.Shape.Length is not (1 or 2))
            throw new DataFormatException($"'{name}' holds a {h.Shape.Length}-D array; expected 2-D (samples x sites).");
        long rows = h.Shape.Length == 1 ? 1 : h.Shape[0];
        long cols = h.Shape[^1];
        if (rows > int.MaxValue || cols > int.MaxValue || rows * cols > Array.MaxLength)
            throw new DataFormatException($"'{name}' is too large ({rows} x {cols}).");
        var values = ReadElements<T>(stream, h, name, rule ?? ValueRule.Any, length);
        return new SampleMatrix<T>(values, (int)rows, (int)cols);
    }

    /// <summary>Reads any array as a flat vector plus its shape (for network weights).</summary>
    public static (T[] Data, long[] Shape) ReadArray<T>(Stream stream, string name, ValueRule? rule = null, long? length = null) where T : unmanaged, INumber<T>
    {
        var h = NpyHeader.Read(stream, name);
        if (h.FortranOrder && h.Shape.Length > 1)
            throw new DataFormatException($"'{name}' is stored in Fortran order; save it with numpy.ascontiguousarray first.");
        return (ReadElements<T>(stream, h, name, rule ?? ValueRule.Any, length), h.Shape);
    }

    /// <summary>Opens <paramref name="path"/> for reading, or fails with one clear line.</summary>
    public static FileStream OpenForReading(string path)
    {
        InputFile.Require(path, "data file");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DataFormatException($"cannot read '{path}': {e.Message}", e);
        }
    }

    internal static void WriteElements<T>(Stream stream, ReadOnlySpan<T> data) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }
        throw new PlatformNotSupportedException("RgLens writes NPY on little-endian machines only.");
    }

    /// <summary>Bytes read and converted at a time: peak memory is the destination plus this.</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Reads the elements chunk by chunk straight into the destination (in C order, also for a
    /// Fortran-order file), checking each value against <paramref name="rule"/> as it comes: the
    /// file's bytes are never held beyond one chunk, and a bad value is refused when reached.
    /// A header that promises more than the file holds is refused before anything is allocated.
    /// </summary>
    private static T[] ReadElements<T>(Stream stream, NpyHeader h, string name, ValueRule rule, long? length) where T : unmanaged, INumber<T>
    {
        long count = h.Count;
        int size = h.ElementSize;
        long? available = length is long l ? l - h.DataOffset : stream.CanSeek ? stream.Length - stream.Position : null;
        if (available is long a && a < count * (double)size)
            throw new DataFormatException($"'{name}' is truncated: the header promises {count} elements, the file holds {Math.Max(0, a) / size}.");
        Data.MemoryBudget.Require($"'{name}' ({string.Join(" x ", h.Shape)} values)", count * (double)System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), count);
        // Uninitialized: every element is written below (or the read fails), and pages not yet
        // written cost no memory while a bad value early in a large file is found.
        var result = Numerics.LargeArrays.NewUninitialized<T>(count);
        int chunkElements = ChunkBytes / size;
        var buffer = new byte[chunkElements * size];
        long rows = h.Shape.Length >= 2 ? h.Shape[0] : 1, cols = h.Shape.Length == 0 ? 1 : h.Shape[^1];
        bool fortran = h.FortranOrder && h.Shape.Length == 2;
        // Index i of a Fortran-order file is element (i % rows, i / rows) of the matrix.
        Func<long, string> where = fortran ? i => Position((i % rows) * cols + i / rows, h) : i => Position(i, h);
        long done = 0;
        while (done < count)
        {
            // A chunk is read and converted in well under 100 ms; a 2 GB file is hundreds of them.
            RunCancellation.ThrowIfRequested();
            int take = (int)Math.Min(chunkElements, count - done);
            int got = NpyHeader.ReadFully(stream, buffer.AsSpan(0, take * size));
            if (got < take * size)
                throw new DataFormatException($"'{name}' is truncated: the header promises {count} elements, the file holds {done + got / size}.");
            for (int i = 0; i < take; i++)
            {
                long index = done + i;
                T value = rule.Convert<T>(Element(buffer.AsSpan(i * size, size), h.DType, h.BigEndian), name, index, where);
                result[fortran ? (index % rows) * cols + index / rows : index] = value;
            }
            done += take;
        }
        return result;
    }

    /// <summary>"row r, column c" for a flat index.</summary>
    internal static string Position(long index, NpyHeader h)
    {
        long cols = h.Shape.Length == 0 ? 1 : h.Shape[^1];
        return h.Shape.Length >= 2 ? $"row {index / cols + 1}, column {index % cols + 1}" : $"element {index + 1}";
    }

    private static double Element(ReadOnlySpan<byte> b, NpyDType dtype, bool big) => dtype switch
    {
        NpyDType.Bool or NpyDType.UInt8 => b[0],
        NpyDType.Int8 => (sbyte)b[0],
        NpyDType.Int16 => big ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        NpyDType.Int32 => big ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        NpyDType.Int64 => big ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        NpyDType.Float32 => big ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
        NpyDType.Float16 => (double)(big ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b)),
        NpyDType.UInt16 => big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        NpyDType.UInt32 => big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        NpyDType.UInt64 => big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
        _ => big ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
    };
}
