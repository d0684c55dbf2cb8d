using System.Numerics;
using RgLens.Data;

namespace RgLens.IO;

/// <summary>
/// Loads and saves sample matrices by file name: <c>.npy</c> is NPY, <c>.csv</c> is CSV,
/// <c>file.h5:/dataset</c> (or .hdf5) is a dataset of an HDF5 file (read only); anything else
/// is refused with one clear line.
/// </summary>
public static class SampleFiles
{
    /// <summary>The format implied by the extension of <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The extension is neither .npy nor .csv.</exception>
    public static SampleFileFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npy" => SampleFileFormat.Npy,
        ".csv" => SampleFileFormat.Csv,
        _ => throw new DataFormatException($"'{path}': RgLens reads and writes .npy and .csv files; name the file accordingly."),
    };

    /// <summary>Reads a samples × sites matrix from an NPY or CSV file.</summary>
    public static SampleMatrix<T> Load<T>(string path) where T : unmanaged, INumber<T>
    {
        if (Hdf5Matrix.IsHdf5(path, out string h5, out string? dataset)) return Hdf5Matrix.Read<T>(h5, dataset);
        var format = FormatOf(path);
        return format == SampleFileFormat.Npy ? Npy.ReadMatrix<T>(path) : CsvMatrix.Read<T>(path);
    }

    /// <summary>Writes a samples × sites matrix atomically to an NPY or CSV file.</summary>
    public static void Save<T>(string path, SampleMatrix<T> matrix) where T : unmanaged, INumber<T>
    {
        if (FormatOf(path) == SampleFileFormat.Npy) Npy.WriteMatrix(path, matrix);
        else CsvMatrix.Write(path, matrix);
    }

    /// <summary>
    /// Reads spin data: every value must be −1 or +1 (any integer or float element type) and
    /// there must be at least two sites per sample.
    /// </summary>
    /// <exception cref="DataFormatException">A value other than ±1, fewer than 2 columns, no rows.</exception>
    public static SampleMatrix<sbyte> LoadSpins(string path)
    {
        var m = Load<double>(path);
        RequireShape(m, path);
        var spins = new sbyte[m.Data.Length];
        for (long i = 0; i < m.Data.LongLength; i++)
        {
            double v = m.Data[i];
            if (v == 1) spins[i] = 1;
            else if (v == -1) spins[i] = -1;
            else throw new DataFormatException($"'{path}' holds {v} at row {i / m.Columns + 1}, column {i % m.Columns + 1}; Ising data must be -1 or +1.");
        }
        return new SampleMatrix<sbyte>(spins, m.Rows, m.Columns);
    }

    /// <summary>Reads real-valued data, refusing NaN and ±∞.</summary>
    public static SampleMatrix<double> LoadReal(string path)
    {
        var m = Load<double>(path);
        RequireShape(m, path);
        for (long i = 0; i < m.Data.LongLength; i++)
            if (!double.IsFinite(m.Data[i]))
                throw new DataFormatException($"'{path}' holds {m.Data[i]} at row {i / m.Columns + 1}, column {i % m.Columns + 1}; data must be finite numbers.");
        return m;
    }

    private static void RequireShape<T>(SampleMatrix<T> m, string path) where T : unmanaged, INumber<T>
    {
        if (m.Rows == 0) throw new DataFormatException($"'{path}' holds no samples.");
        if (m.Columns < 2) throw new DataFormatException($"'{path}' has {m.Columns} site(s) per sample; a chain needs N >= 2.");
    }
}

/// <summary>The file formats for sample matrices.</summary>
public enum SampleFileFormat
{
    /// <summary>NumPy's NPY.</summary>
    Npy,

    /// <summary>Comma-separated values.</summary>
    Csv,
}
