using System.IO.Compression;
using RgLens.IO;

namespace RgLens.Nn;

/// <summary>Reads the entries of an NPZ archive opened by <see cref="NpzArchive.Open"/>; every failure is a <see cref="DataFormatException"/>.</summary>
internal sealed class NpzReader : IDisposable
{
    /// <summary>Longest header accepted (a network header is a few kilobytes).</summary>
    private const int MaxHeaderBytes = 16 << 20;

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
        return Guard(() =>
        {
            using var s = entry.Open();
            using var reader = new StreamReader(s, System.Text.Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    /// <summary>The float32 array <paramref name="name"/> with its expected shape checked and its values required finite.</summary>
    public float[] ReadFloats(string name, params long[] shape)
    {
        var entry = _zip.GetEntry(name + ".npy") ?? throw new DataFormatException($"'{Path}' lacks the array '{name}'.");
        var (data, actual) = Guard(() =>
        {
            using var s = entry.Open();
            return Npy.ReadArray<float>(s, $"{Path}:{name}");
        });
        if (!actual.AsSpan().SequenceEqual(shape))
            throw new DataFormatException($"'{Path}': array '{name}' has shape ({string.Join(", ", actual)}); the header implies ({string.Join(", ", shape)}).");
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i])) throw new DataFormatException($"'{Path}': array '{name}' holds {data[i]} at element {i + 1}; values must be finite.");
        return data;
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

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
