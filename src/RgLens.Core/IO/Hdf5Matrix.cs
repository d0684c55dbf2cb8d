using System.Numerics;
using PureHDF;
using RgLens.Data;

namespace RgLens.IO;

/// <summary>
/// Reads a samples × sites matrix from a 2-D numeric dataset of an HDF5 file (what physicists'
/// Monte Carlo codes write), through PureHDF (managed, no native library). A dataset is named as
/// <c>file.h5:/group/dataset</c>; a file with a single dataset at its root may be named alone.
/// Integer (signed or not, 1–8 bytes) and floating-point (4 or 8 bytes) datasets are read; the
/// size is checked against memory before anything is read.
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
    public static SampleMatrix<T> Read<T>(string file, string? dataset) where T : unmanaged, INumber<T>
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
            double[] values = (type.Class, type.Size) switch
            {
                (H5DataTypeClass.FloatingPoint, 8) => ds.Read<double[]>(),
                (H5DataTypeClass.FloatingPoint, 4) => Array.ConvertAll(ds.Read<float[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? Array.ConvertAll(ds.Read<sbyte[]>(), v => (double)v) : Array.ConvertAll(ds.Read<byte[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? Array.ConvertAll(ds.Read<short[]>(), v => (double)v) : Array.ConvertAll(ds.Read<ushort[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 4) => type.FixedPoint.IsSigned ? Array.ConvertAll(ds.Read<int[]>(), v => (double)v) : Array.ConvertAll(ds.Read<uint[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 8) => type.FixedPoint.IsSigned ? Array.ConvertAll(ds.Read<long[]>(), v => (double)v) : Array.ConvertAll(ds.Read<ulong[]>(), v => (double)v),
                _ => throw new DataFormatException($"'{file}:{dataset}' holds {type.Class} values of {type.Size} byte(s); RgLens reads integer and floating-point datasets."),
            };
            var m = new SampleMatrix<T>(rows, cols);
            for (long i = 0; i < values.LongLength; i++) m.Data[i] = T.CreateChecked(values[i]);
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
}
