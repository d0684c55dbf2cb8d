using System.IO.Compression;
using RgLens.IO;

namespace RgLens.Nn;

/// <summary>Reads the entries of an NPZ archive opened by <see cref="NpzArchive.Open"/>; every failure is a <see cref="DataFormatException"/>.</summary>
internal sealed class NpzReader : IDisposable
{
    /// <summary>Longest header accepted (a network header is a few kilobytes).</summary>
    private const int MaxHeaderBytes = 16 << 20;

    /// <summary>Room for an NPY member's own header (magic, version, length and the dict; v1 headers are below 64 KiB).</summary>
    private const long MaxNpyHeaderBytes = (64 << 10) + 16;

    private readonly ZipArchive _zip;
    private readonly string _what;

    internal NpzReader(string path, string what, ZipArchive zip)
    {
        Path = path;
        _what = what;
        _zip = zip;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Whether the array <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => _zip.GetEntry(name + ".npy") is not null;

    /// <summary>The JSON text entry.</summary>
    public string ReadHeader()
    {
        var entry = _zip.GetEntry(NpzArchive.HeaderEntry)
            ?? throw new DataFormatException($"'{Path}' has no {NpzArchive.HeaderEntry}; it is not an RgLens {_what}.");
        if (entry.Length > MaxHeaderBytes) throw new DataFormatException($"'{Path}': {NpzArchive.HeaderEntry} is {entry.Length} bytes; too large for a header.");
        var bytes = ReadVerified(entry, MaxHeaderBytes);
        return Guard(() =>
        {
            using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    /// <summary>The float32 array <paramref name="name"/> with its expected shape checked and its values required finite.</summary>
    public float[] ReadFloats(string name, params long[] shape)
    {
        var entry = _zip.GetEntry(name + ".npy") ?? throw new DataFormatException($"'{Path}' lacks the array '{name}'.");
        // The shape the header implies bounds the member before anything is inflated.
        long elements = 1;
        foreach (long d in shape) elements = d < 0 || (d > 0 && elements > long.MaxValue / 4 / d) ? long.MaxValue / 4 : elements * d;
        long limit = elements * sizeof(float) + MaxNpyHeaderBytes;
        var bytes = ReadVerified(entry, limit);
        var (data, actual) = Guard(() => Npy.ReadArray<float>(new MemoryStream(bytes, writable: false), $"{Path}:{name}"));
        if (!actual.AsSpan().SequenceEqual(shape))
            throw new DataFormatException($"'{Path}': array '{name}' has shape ({string.Join(", ", actual)}); the header implies ({string.Join(", ", shape)}).");
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i])) throw new DataFormatException($"'{Path}': array '{name}' holds {data[i]} at element {i + 1}; values must be finite.");
        return data;
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    /// <summary>
    /// The member's bytes, refused before inflating when it declares more than <paramref name="limit"/>
    /// bytes, and checked against its declared size and its CRC-32 once read, so that a flipped
    /// bit in a stored (uncompressed) member cannot load as a wrong weight.
    /// </summary>
    private byte[] ReadVerified(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length < 0 || entry.Length > limit)
            throw new DataFormatException($"'{Path}': member '{entry.FullName}' declares {entry.Length} bytes; at most {limit} fit what it should hold, so it is not inflated (corrupt or not an RgLens {_what}).");
        var buffer = new byte[entry.Length];
        Guard(() =>
        {
            using var s = entry.Open();
            s.ReadExactly(buffer);
            if (s.ReadByte() >= 0) throw new InvalidDataException($"member '{entry.FullName}' holds more than the {entry.Length} bytes it declares");
            return 0;
        });
        uint crc = Crc32.Compute(buffer);
        if (crc != entry.Crc32)
            throw new DataFormatException($"'{Path}': member '{entry.FullName}' fails its CRC-32 check (stored {entry.Crc32:x8}, computed {crc:x8}); the {_what} is corrupt.");
        return buffer;
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
        {
            throw new DataFormatException($"'{Path}' is not a readable {_what}: {e.Message.TrimEnd('.')} (corrupt or truncated?).", e);
        }
    }
}
