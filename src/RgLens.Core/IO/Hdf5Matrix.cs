using System.Numerics;
using PureHDF;
using RgLens.Data;

namespace RgLens.IO;

/// <summary>
/// Reads a samples × sites matrix from a 2-D numeric dataset of an HDF5 file (what physicists'
/// Monte Carlo codes write), through PureHDF (managed, no native library). A dataset is named as
/// <c>file.h5:/group/dataset</c>; a file with a single dataset at its root may be named alone.
/// Integer (signed or not, 1–8 bytes) and floating-point (4 or 8 bytes) datasets are read; the
/// size is checked against memory before anything is read, and the dataset is read in blocks of
/// rows (hyperslabs of about 1 MB) converted straight into the matrix and checked against the
/// caller's <see cref="ValueRule"/>, so a bad value stops the read where it stands.
/// </summary>
public static class Hdf5Matrix
{
    /// <summary>Whether <paramref name="path"/> names an HDF5 file (extension .h5, .hdf5 or .he5, with or without ":/dataset").</summary>
    public static bool IsHdf5(string path, out string file, out string? dataset)
    {
        dataset = null;
        file = path;
        int colon = path.IndexOf(".h5:", StringComparison.OrdinalIgnoreCase) is int i and >= 0 ? i + 3
            : path.IndexOf(".hdf5:", StringComparison.OrdinalIgnoreCase) is int j and >= 0 ? j + 5
            : path.IndexOf(".he5:", StringComparison.OrdinalIgnoreCase) is int k and >= 0 ? k + 4 : -1;
        if (colon >= 0)
        {
            file = path[..colon];
            dataset = path[(colon + 1)..];
            return true;
        }
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".h5" or ".hdf5" or ".he5";
    }

    /// <summary>Reads the dataset.</summary>
    /// <exception cref="DataFormatException">No such file or dataset, not 2-D, not numeric, too large, or not HDF5.</exception>
    public static SampleMatrix<T> Read<T>(string file, string? dataset, ValueRule? rule = null) where T : unmanaged, INumber<T>
    {
        InputFile.Require(file, "HDF5 file");
        try
        {
            using var h5 = H5File.OpenRead(file);
            if (dataset is null)
            {
                var datasets = h5.Children().OfType<IH5Dataset>().ToArray();
                if (datasets.Length != 1)
                    throw new DataFormatException($"'{file}': name the dataset as '{file}:/path/to/dataset' ({(datasets.Length == 0 ? "no dataset at the root" : $"{datasets.Length} datasets at the root: {string.Join(", ", datasets.Select(d => d.Name))}")}).");
                dataset = "/" + datasets[0].Name;
            }
            if (!h5.LinkExists(dataset)) throw new DataFormatException($"'{file}' has no dataset '{dataset}'.");
            if (h5.Get(dataset) is not IH5Dataset ds) throw new DataFormatException($"'{file}:{dataset}' is not a dataset.");
            var dims = ds.Space.Dimensions;
            if (dims.Length != 2) throw new DataFormatException($"'{file}:{dataset}' has {dims.Length} dimension(s); RgLens reads a 2-D samples x sites dataset.");
            if (dims[0] > int.MaxValue || dims[1] > int.MaxValue || dims[0] * dims[1] > (ulong)Array.MaxLength)
                throw new DataFormatException($"'{file}:{dataset}' is {dims[0]} x {dims[1]}: more values than one array holds.");
            int rows = (int)dims[0], cols = (int)dims[1];
            var type = ds.Type;
            Func<ulong, ulong, double[]> readBlock = (type.Class, type.Size) switch
            {
                (H5DataTypeClass.FloatingPoint, 8) => (r0, n) => Block<double>(ds, r0, n, (ulong)cols),
                (H5DataTypeClass.FloatingPoint, 4) => (r0, n) => Widen(Block<float>(ds, r0, n, (ulong)cols)),
                (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? (r0, n) => Widen(Block<sbyte>(ds, r0, n, (ulong)cols)) : (r0, n) => Widen(Block<byte>(ds, r0, n, (ulong)cols)),
                (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? (r0, n) => Widen(Block<short>(ds, r0, n, (ulong)cols)) : (r0, n) => Widen(Block<ushort>(ds, r0, n, (ulong)cols)),
                (H5DataTypeClass.FixedPoint, 4) => type.FixedPoint.IsSigned ? (r0, n) => Widen(Block<int>(ds, r0, n, (ulong)cols)) : (r0, n) => Widen(Block<uint>(ds, r0, n, (ulong)cols)),
                (H5DataTypeClass.FixedPoint, 8) => type.FixedPoint.IsSigned ? (r0, n) => Widen(Block<long>(ds, r0, n, (ulong)cols)) : (r0, n) => Widen(Block<ulong>(ds, r0, n, (ulong)cols)),
                _ => throw new DataFormatException($"'{file}:{dataset}' holds {type.Class} values of {type.Size} byte(s); RgLens reads integer and floating-point datasets."),
            };
            var m = new SampleMatrix<T>(rows, cols);
            rule ??= ValueRule.Any;
            string name = $"{file}:{dataset}";
            Func<long, string> where = i => $"row {i / Math.Max(cols, 1) + 1}, column {i % Math.Max(cols, 1) + 1}";
            // Rows per block: about 1 MB of doubles, at least one row.
            int blockRows = (int)Math.Clamp((1 << 17) / Math.Max(cols, 1), 1, Math.Max(rows, 1));
            for (int r0 = 0; r0 < rows; r0 += blockRows)
            {
                RunCancellation.ThrowIfRequested();
                int n = Math.Min(blockRows, rows - r0);
                var block = readBlock((ulong)r0, (ulong)n);
                long first = (long)r0 * cols;
                for (int i = 0; i < block.Length; i++) m.Data[first + i] = rule.Convert<T>(block[i], name, first + i, where);
            }
            return m;
        }
        catch (DataFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            throw new DataFormatException($"'{file}' cannot be read as HDF5 ({e.Message.ReplaceLineEndings(" ")}).", e);
        }
    }

    /// <summary>Rows [r0, r0 + n) of a 2-D dataset: one hyperslab.</summary>
    private static TValue[] Block<TValue>(IH5Dataset ds, ulong r0, ulong n, ulong cols) where TValue : unmanaged =>
        ds.Read<TValue[]>(new PureHDF.Selections.HyperslabSelection(2, [r0, 0], [n, cols]), null, [n * cols]);

    private static double[] Widen<TValue>(TValue[] values) where TValue : unmanaged, INumber<TValue> =>
        Array.ConvertAll(values, v => double.CreateTruncating(v));

    /// <summary>
    /// Writes float32 matrices into one HDF5 file, atomically (nothing under <paramref name="path"/>
    /// until the whole file is written): each group holds its 2-D datasets (samples × units, C
    /// order, as h5py reads them) and string attributes. Group and dataset names must be plain
    /// HDF5 link names (no '/', not "." or empty).
    /// </summary>
    /// <exception cref="RgLensException">The file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<Hdf5MatrixGroup> groups)
    {
        var root = new H5File();
        foreach (var g in groups)
        {
            CheckLinkName(g.Name);
            if (root.ContainsKey(g.Name)) throw new ArgumentException($"two groups named '{g.Name}'.", nameof(groups));
            var group = new H5Group();
            foreach (var (key, value) in g.Attributes) group.Attributes[key] = value;
            foreach (var (name, m) in g.Datasets)
            {
                CheckLinkName(name);
                // The flat C-order array with its file dimensions: no 2-D copy of a layer.
                group[name] = new H5Dataset(m.Data, fileDims: [(ulong)m.Rows, (ulong)m.Columns]);
            }
            root[g.Name] = group;
        }
        using var file = AtomicFile.Create(path);
        root.Write(file.Stream);
        file.Commit();
    }

    private static void CheckLinkName(string name)
    {
        if (name.Length == 0 || name is "." || name.Contains('/'))
            throw new ArgumentException($"'{name}' is not an HDF5 link name.", nameof(name));
    }
}

/// <summary>A group of <see cref="Hdf5Matrix.Write"/>: its name, string attributes and float32 datasets.</summary>
/// <param name="Name">The group's link name at the file's root.</param>
/// <param name="Attributes">String attributes of the group.</param>
/// <param name="Datasets">The group's datasets by link name.</param>
public sealed record Hdf5MatrixGroup(string Name, IReadOnlyList<KeyValuePair<string, string>> Attributes, IReadOnlyList<KeyValuePair<string, SampleMatrix<float>>> Datasets);
