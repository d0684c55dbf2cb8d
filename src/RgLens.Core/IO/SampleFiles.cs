using System.Numerics;
using RgLens.Data;

namespace RgLens.IO;

/// <summary>
/// Loads and saves sample matrices by file name: <c>.npy</c> is NPY, <c>.csv</c> is CSV,
/// <c>.txt</c>, <c>.dat</c> and <c>.tsv</c> are text separated by spaces or tabs (read only),
/// <c>file.npz:name</c> is the array <c>name</c> of a NumPy <c>.npz</c> archive (read only; the
/// name may be left out when the archive holds one array), and <c>file.h5:/group/dataset</c>
/// (or .hdf5) is a 2-D dataset of an HDF5 file (read only). Anything else is refused with one
/// clear line.
/// </summary>
public static class SampleFiles
{
    /// <summary>The format implied by the extension of <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The extension is none of the formats above.</exception>
    public static SampleFileFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (SplitNpz(path) is not null) return SampleFileFormat.Npz;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".npy" => SampleFileFormat.Npy,
            ".csv" => SampleFileFormat.Csv,
            ".txt" or ".dat" or ".tsv" => SampleFileFormat.Text,
            _ => throw new DataFormatException($"'{path}': RgLens reads .npy, .csv, .txt/.dat/.tsv (whitespace-separated), .npz (file.npz:array) and HDF5 (file.h5:/dataset) files and writes .npy and .csv; name the file accordingly."),
        };
    }

    /// <summary>
    /// Reads a samples × sites matrix from an NPY, CSV, whitespace-separated text, NPZ or HDF5 file,
    /// converting each value into the <typeparamref name="T"/> matrix as it is read and checking it
    /// against <paramref name="rule"/> (default: any value) on the way, so that the file is never
    /// held in another element type beside the result and a bad value stops the read where it stands.
    /// </summary>
    public static SampleMatrix<T> Load<T>(string path, ValueRule? rule = null) where T : unmanaged, INumber<T> =>
        Hdf5Matrix.IsHdf5(path, out string h5, out string? dataset) ? Hdf5Matrix.Read<T>(h5, dataset, rule) : FormatOf(path) switch
    {
        SampleFileFormat.Npy => Npy.ReadMatrix<T>(path, rule),
        SampleFileFormat.Csv => CsvMatrix.Read<T>(path, ',', rule),
        SampleFileFormat.Text => CsvMatrix.Read<T>(path, CsvMatrix.Whitespace, rule),
        _ => ReadNpz<T>(path, rule),
    };

    /// <summary>Writes a samples × sites matrix atomically to an NPY or CSV file.</summary>
    /// <exception cref="DataFormatException">The file name asks for a format RgLens only reads.</exception>
    public static void Save<T>(string path, SampleMatrix<T> matrix) where T : unmanaged, INumber<T>
    {
        switch (FormatOf(path))
        {
            case SampleFileFormat.Npy: Npy.WriteMatrix(path, matrix); break;
            case SampleFileFormat.Csv: CsvMatrix.Write(path, matrix); break;
            default: throw new DataFormatException($"'{path}': RgLens writes .npy and .csv files only; name the output accordingly.");
        }
    }

    /// <summary>Throws unless RgLens can write the format that <paramref name="path"/> names.</summary>
    /// <exception cref="DataFormatException">Not a .npy or .csv file name.</exception>
    public static void RequireWritable(string path)
    {
        var format = FormatOf(path);
        if (format is not (SampleFileFormat.Npy or SampleFileFormat.Csv))
            throw new DataFormatException($"'{path}': RgLens writes .npy and .csv files only; name the output accordingly.");
    }

    /// <summary>The archive and the array name of <c>file.npz:name</c> (name null for <c>file.npz</c>), or null.</summary>
    private static (string Archive, string? Array)? SplitNpz(string path)
    {
        int at = path.LastIndexOf(".npz", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        int end = at + 4;
        if (end == path.Length) return (path, null);
        if (path[end] != ':') return null;
        string name = path[(end + 1)..];
        return (path[..end], name.Length == 0 ? null : name);
    }

    private static SampleMatrix<T> ReadNpz<T>(string path, ValueRule? rule) where T : unmanaged, INumber<T>
    {
        var (archivePath, array) = SplitNpz(path)!.Value;
        using var stream = Npy.OpenForReading(archivePath);
        System.IO.Compression.ZipArchive zip;
        try
        {
            zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw new DataFormatException($"'{archivePath}' is not an .npz archive (not a zip file).");
        }
        using (zip)
        {
            var names = zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal))
                .Select(e => e.FullName[..^4]).ToArray();
            if (names.Length == 0) throw new DataFormatException($"'{archivePath}' holds no arrays.");
            string list = string.Join(", ", names);
            if (array is null)
            {
                if (names.Length > 1)
                    throw new DataFormatException($"'{archivePath}' holds {names.Length} arrays ({list}); name one as '{archivePath}:NAME'.");
                array = names[0];
            }
            var entry = zip.GetEntry(array + ".npy")
                ?? throw new DataFormatException($"'{archivePath}' holds no array '{array}'; it holds {list}.");
            string display = $"{archivePath}:{array}";
            try
            {
                // The member's CRC-32 is computed as it streams and checked at its end: a damaged
                // archive is refused, never read as numbers.
                using var npy = new Crc32.Reading(entry.Open());
                var m = Npy.ReadMatrix<T>(npy, display, rule, entry.Length);
                if (npy.ReadByte() >= 0) throw new DataFormatException($"'{display}' holds more bytes than its NPY header declares; the archive is damaged.");
                if (npy.Value != entry.Crc32)
                    throw new DataFormatException($"'{display}' fails its CRC-32 check (stored {entry.Crc32:x8}, computed {npy.Value:x8}); the archive is corrupt.");
                return m;
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException($"'{display}' is damaged: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Reads spin data: every value must be −1 or +1 (any integer or float element type) and
    /// there must be at least two sites per sample. Read straight into int8, one byte a value.
    /// </summary>
    /// <exception cref="DataFormatException">A value other than ±1, fewer than 2 columns, no rows.</exception>
    public static SampleMatrix<sbyte> LoadSpins(string path) => RequireShape(Load<sbyte>(path, ValueRule.Spins), path);

    /// <summary>Reads real-valued data, refusing NaN and ±∞ (or what <paramref name="rule"/> refuses, e.g. a family's support) as they are read.</summary>
    public static SampleMatrix<double> LoadReal(string path, ValueRule? rule = null) => RequireShape(Load<double>(path, rule ?? ValueRule.Finite), path);

    /// <summary>
    /// Reads real-valued data straight into float32 (one copy, no double matrix beside it),
    /// refusing NaN, ±∞ and values beyond float32's range as they are read.
    /// </summary>
    public static SampleMatrix<float> LoadSingle(string path) => RequireShape(Load<float>(path, ValueRule.FiniteSingle), path);

    private static SampleMatrix<T> RequireShape<T>(SampleMatrix<T> m, string path) where T : unmanaged, INumber<T>
    {
        if (m.Rows == 0) throw new DataFormatException($"'{path}' holds no samples.");
        if (m.Columns < 2) throw new DataFormatException($"'{path}' has {m.Columns} site(s) per sample; a chain needs N >= 2.");
        return m;
    }
}

/// <summary>The file formats for sample matrices.</summary>
public enum SampleFileFormat
{
    /// <summary>NumPy's NPY.</summary>
    Npy,

    /// <summary>Comma-separated values.</summary>
    Csv,

    /// <summary>Text with values separated by spaces or tabs (<c>.txt</c>, <c>.dat</c>, <c>.tsv</c>; read only).</summary>
    Text,

    /// <summary>An array in NumPy's NPZ archive, <c>file.npz:name</c> (read only).</summary>
    Npz,
}
