using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RgLens.IO;

/// <summary>
/// The header of an NPY file (NumPy's format spec, version 1.0–3.0): element type, byte order,
/// memory order and shape. The one place that knows the byte layout of NPY.
/// </summary>
public sealed partial record NpyHeader(NpyDType DType, bool BigEndian, bool FortranOrder, long[] Shape, int DataOffset)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Bytes per element.</summary>
    public int ElementSize => SizeOf(DType);

    /// <summary>Total number of elements (product of the shape).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int SizeOf(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool or NpyDType.Int8 or NpyDType.UInt8 => 1,
        NpyDType.Int16 or NpyDType.Float16 or NpyDType.UInt16 => 2,
        NpyDType.Int32 or NpyDType.Float32 or NpyDType.UInt32 => 4,
        _ => 8,
    };

    /// <summary>Reads and checks the header at the start of <paramref name="stream"/>.</summary>
    /// <exception cref="DataFormatException">Not an NPY file, or an unsupported element type.</exception>
    public static NpyHeader Read(Stream stream, string name)
    {
        Span<byte> pre = stackalloc byte[10];
        if (ReadFully(stream, pre) < 10 || !pre[..6].SequenceEqual(Magic))
            throw new DataFormatException($"'{name}' is not an NPY file (bad magic bytes).");
        int major = pre[6];
        long headerLength;
        int prefix;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(pre[8..]);
            prefix = 10;
        }
        else if (major is 2 or 3)
        {
            Span<byte> two = stackalloc byte[2];
            if (ReadFully(stream, two) < 2) throw new DataFormatException($"'{name}' is truncated inside its NPY header.");
            Span<byte> four = [pre[8], pre[9], two[0], two[1]];
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(four);
            prefix = 12;
        }
        else throw new DataFormatException($"'{name}' uses NPY format version {major}, which RgLens does not read (1–3 are supported).");
        if (headerLength > 1 << 20) throw new DataFormatException($"'{name}' has an implausible NPY header length {headerLength}.");
        var text = new byte[headerLength];
        if (ReadFully(stream, text) < headerLength) throw new DataFormatException($"'{name}' is truncated inside its NPY header.");
        string dict = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        return Parse(dict, name, prefix + (int)headerLength);
    }

    /// <summary>The header bytes (version 1.0, or 2.0 when the dictionary is long) for a C-order array.</summary>
    public static byte[] Encode(NpyDType dtype, ReadOnlySpan<long> shape)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape.ToArray()) + ")";
        string dict = $"{{'descr': '{Descr(dtype)}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int prefix = 10;
        int total = prefix + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        if (padded - prefix > ushort.MaxValue)
        {
            prefix = 12;
            total = prefix + dict.Length + 1;
            padded = (total + 63) / 64 * 64;
        }
        var bytes = new byte[padded];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)(prefix == 10 ? 1 : 2);
        bytes[7] = 0;
        int headerLength = padded - prefix;
        if (prefix == 10) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        Encoding.ASCII.GetBytes(dict).CopyTo(bytes, prefix);
        for (int i = prefix + dict.Length; i < padded - 1; i++) bytes[i] = (byte)' ';
        bytes[padded - 1] = (byte)'\n';
        return bytes;
    }

    private static string Descr(NpyDType dtype) => dtype switch
    {
        NpyDType.Bool => "|b1",
        NpyDType.Int8 => "|i1",
        NpyDType.UInt8 => "|u1",
        NpyDType.Int16 => "<i2",
        NpyDType.Int32 => "<i4",
        NpyDType.Int64 => "<i8",
        NpyDType.Float32 => "<f4",
        _ => "<f8",
    };

    private static NpyHeader Parse(string dict, string name, int dataOffset)
    {
        var descr = DescrPattern().Match(dict);
        var fortran = FortranPattern().Match(dict);
        var shape = ShapePattern().Match(dict);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new DataFormatException($"'{name}' has a malformed NPY header: {dict.Trim()}");
        string d = descr.Groups[1].Value;
        bool big = d.StartsWith('>');
        string code = d.TrimStart('<', '>', '|', '=');
        NpyDType dtype = code switch
        {
            "b1" or "?" => NpyDType.Bool,
            "i1" or "b" => NpyDType.Int8,
            "u1" or "B" => NpyDType.UInt8,
            "i2" => NpyDType.Int16,
            "i4" => NpyDType.Int32,
            "i8" => NpyDType.Int64,
            "f4" => NpyDType.Float32,
            "f8" => NpyDType.Float64,
            "f2" => NpyDType.Float16,
            "u2" => NpyDType.UInt16,
            "u4" => NpyDType.UInt32,
            "u8" => NpyDType.UInt64,
            _ => throw new DataFormatException($"'{name}' holds NPY element type '{d}'; RgLens reads bool, int8/16/32/64, uint8/16/32/64 and float16/32/64."),
        };
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.TryParse(s.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v
                : throw new DataFormatException($"'{name}' has a malformed shape in its NPY header: ({shape.Groups[1].Value}).")).ToArray();
        return new NpyHeader(dtype, big, fortran.Groups[1].Value == "True", dims, dataOffset);
    }

    internal static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
