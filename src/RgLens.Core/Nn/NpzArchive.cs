using System.IO.Compression;
using System.Text;
using RgLens.IO;

namespace RgLens.Nn;

/// <summary>
/// NumPy's NPZ container (a zip of <c>name.npy</c> entries, as <c>numpy.savez</c> writes) plus
/// one JSON text entry, written atomically; <c>numpy.load</c> returns the arrays by name and the
/// JSON entry as bytes. Used by the network and checkpoint files.
/// </summary>
internal static class NpzArchive
{
    /// <summary>The name of the JSON entry.</summary>
    public const string HeaderEntry = "header.json";

    /// <summary>One float32 array of an archive.</summary>
    public readonly record struct FloatArray(string Name, float[] Data, long[] Shape);

    /// <summary>
    /// The modification time of every member: the earliest a zip can hold (1980-01-01 00:00), so
    /// that the same content gives the same bytes whenever it is written (same seed, same file).
    /// </summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="header"/> and the arrays to <paramref name="path"/> (stored, not compressed) atomically.</summary>
    /// <param name="path">The target.</param>
    /// <param name="header">The JSON entry.</param>
    /// <param name="arrays">The arrays.</param>
    /// <param name="immediate">Visible at once even inside an <see cref="OutputSet"/> (checkpoints).</param>
    public static void Write(string path, string header, IEnumerable<FloatArray> arrays, bool immediate = false)
    {
        using var file = AtomicFile.Create(path, immediate);
        using (var zip = new ZipArchive(file.Stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var text = zip.CreateEntry(HeaderEntry, CompressionLevel.NoCompression);
            text.LastWriteTime = EntryTime;
            using (var s = text.Open()) s.Write(Encoding.UTF8.GetBytes(header));
            foreach (var a in arrays)
            {
                var entry = zip.CreateEntry(a.Name + ".npy", CompressionLevel.NoCompression);
                entry.LastWriteTime = EntryTime;
                using var s = entry.Open();
                Npy.Write<float>(s, a.Data, a.Shape);
            }
        }
        file.Commit();
    }

    /// <summary>Opens an archive for reading; <paramref name="what"/> names the kind of file in error messages.</summary>
    /// <exception cref="DataFormatException">Missing file, or not a readable zip archive.</exception>
    public static NpzReader Open(string path, string what)
    {
        IO.InputFile.Require(path, what);
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return new NpzReader(path, what, new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new DataFormatException($"'{path}' is not a readable {what}: {e.Message.TrimEnd('.')} (corrupt or truncated NPZ?).", e);
        }
    }
}
