using System.Diagnostics;
using PureHDF;
using RgLens.IO;
using RgLens.Tests.Cli;

namespace RgLens.Tests.IO;

public class Hdf5Tests
{
    [Fact]
    public void ReadsTwoDimensionalDatasetsOfEveryNumericType()
    {
        using var dir = new TempDirectory();
        var file = new H5File
        {
            ["spins"] = new H5Group { ["run1"] = new H5Dataset(new sbyte[,] { { 1, -1, 1 }, { -1, -1, 1 } }) },
            ["reals"] = new H5Dataset(new double[,] { { 0.5, 1 }, { 2, -3 } }),
            ["counts"] = new H5Dataset(new ushort[,] { { 0, 7 }, { 65535, 1 } }),
            ["cube"] = new H5Dataset(new float[2, 2, 2]),
        };
        file.Write(dir.File("d.h5"));
        var s = SampleFiles.Load<double>(dir.File("d.h5") + ":/spins/run1");
        Assert.Equal((2, 3), (s.Rows, s.Columns));
        Assert.Equal([1.0, -1, 1, -1, -1, 1], s.Data);
        Assert.Equal([0.5, 1, 2, -3], SampleFiles.Load<double>(dir.File("d.h5") + ":/reals").Data);
        Assert.Equal([0.0, 7, 65535, 1], SampleFiles.Load<double>(dir.File("d.h5") + ":/counts").Data);
        Assert.Contains("no dataset '/nope'", Assert.Throws<DataFormatException>(() => SampleFiles.Load<double>(dir.File("d.h5") + ":/nope")).Message);
        Assert.Contains("3 dimension(s)", Assert.Throws<DataFormatException>(() => SampleFiles.Load<double>(dir.File("d.h5") + ":/cube")).Message);
        Assert.Contains("not a dataset", Assert.Throws<DataFormatException>(() => SampleFiles.Load<double>(dir.File("d.h5") + ":/spins")).Message);
        Assert.Contains("name the dataset", Assert.Throws<DataFormatException>(() => SampleFiles.Load<double>(dir.File("d.h5"))).Message);
        File.WriteAllText(dir.File("fake.h5"), "not hdf5 at all");
        Assert.Contains("cannot be read as HDF5", Assert.Throws<DataFormatException>(() => SampleFiles.Load<double>(dir.File("fake.h5") + ":/x")).Message);
    }

    [Fact]
    public void FitReadsAnHdf5FileWrittenByH5py()
    {
        using var dir = new TempDirectory();
        string file = dir.File("mc.h5");
        const string script = "import sys, numpy as np, h5py\nrng = np.random.default_rng(1)\nx = np.where(rng.random((3000, 12)) < 0.6, 1, -1).astype(np.int8)\n"
            + "with h5py.File(sys.argv[1], 'w') as f:\n    f.create_group('mc').create_dataset('spins', data=x)\n";
        var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script, file]) { RedirectStandardError = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "h5py is needed (python3-h5py): " + err);
        var r = CliRunner.Run("fit", "--model", "ising", "--data", file + ":/mc/spins", "--replicates", "20", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Output);
        Assert.Contains("\"K\"", r.Output);
        // Independent sites with P(+1) = 0.6: K ≈ 0, h ≈ atanh(0.2) ≈ 0.203.
        var bad = CliRunner.Run("fit", "--model", "ising", "--data", file + ":/mc/missing");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("no dataset", bad.Error);
    }
}
