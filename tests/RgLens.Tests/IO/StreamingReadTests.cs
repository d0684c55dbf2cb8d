using System.Diagnostics;
using PureHDF;
using RgLens.Data;
using RgLens.IO;
using RgLens.Tests.Cli;

namespace RgLens.Tests.IO;

/// <summary>
/// The readers convert and check values while streaming (docs/reliability.md, "What is verified
/// when reading files"): a bad value is refused where it stands, before the rest of the file is
/// read, and the file is never held in a wider type beside the result.
/// </summary>
public class StreamingReadTests
{
    /// <summary>An int8 NPY of rows x cols ones, with <paramref name="bad"/> at flat index <paramref name="at"/>, written in 1 MiB pieces.</summary>
    private static void WriteInt8(string path, int rows, int cols, long at, sbyte bad)
    {
        using var f = File.Create(path);
        f.Write(NpyHeader.Encode(NpyDType.Int8, [rows, cols]));
        var chunk = new byte[1 << 20];
        long total = (long)rows * cols;
        for (long first = 0; first < total; first += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, total - first);
            Array.Fill(chunk, (byte)1);
            if (at >= first && at < first + n) chunk[at - first] = (byte)bad;
            f.Write(chunk, 0, n);
        }
    }

    [Fact]
    public void ABadValueNearTheStartOfA256MbInt8FileIsRefusedAtOnceWithSmallPeakMemory()
    {
        // 256 MiB of int8 spins; as float64 (what fit works in) that is 2 GiB. The 0 at row 2 must
        // be refused before the rest is read: peak resident memory stays far below the 2 GiB
        // (limit 400 MB: the runtime alone is ~60 MB) and the run ends within 20 s.
        using var dir = new TempDirectory();
        string path = dir.File("big.npy");
        const int rows = 131072, cols = 2048;
        WriteInt8(path, rows, cols, at: cols + 5, bad: 0);
        var r = CliRunner.RunProcess(["fit", "--model", "ising", "--data", path]);
        CliRunner.AssertOneLineError(r.ExitCode, r.Error, "holds 0 at row 2, column 6; a value outside the support of the ising family (-1 or +1)", "fit");
        Assert.True(r.PeakKb is not null, "rglens wrote no peak memory (no /proc/self/status?)");
        Assert.True(r.PeakKb < 400_000, $"peak resident memory {r.PeakKb} kB");
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(20), $"took {r.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void SpinsAreReadStraightIntoInt8AndRefusedWhereTheyStand()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.npy");
        WriteInt8(path, 4096, 256, at: 3 * 256 + 7, bad: 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(path));
        Assert.Contains("holds 2 at row 4, column 8; Ising data must be -1 or +1", e.Message);
        // The int8 destination (1 MiB) plus one 1 MiB chunk, not 8 MiB of float64; 4 MiB of slack.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, $"allocated {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        WriteInt8(path, 4096, 256, at: -1, bad: 0);
        var spins = SampleFiles.LoadSpins(path);
        Assert.Equal((4096, 256), (spins.Rows, spins.Columns));
        Assert.All(spins.Data, v => Assert.Equal(1, v));
    }

    [Fact]
    public void AHeaderThatPromisesMoreThanTheFileHoldsIsRefusedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.File("lying.npy");
        using (var f = File.Create(path))
        {
            f.Write(NpyHeader.Encode(NpyDType.Float64, [20000, 20000])); // 3.2 GB promised
            f.Write(new byte[800]);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataFormatException>(() => SampleFiles.LoadReal(path));
        Assert.Contains("is truncated: the header promises 400000000 elements, the file holds 100", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated more than 1 MB");
    }

    [Fact]
    public void FortranOrderIsPlacedDirectlyAndPositionsNameTheMatrixElement()
    {
        using var dir = new TempDirectory();
        string path = dir.File("f.npy");
        // 2 x 3 in Fortran order: the file holds column after column.
        using (var f = File.Create(path))
        {
            var h = NpyHeader.Encode(NpyDType.Float64, [2, 3]);
            var text = System.Text.Encoding.ASCII.GetString(h, 10, h.Length - 10).Replace("'fortran_order': False", "'fortran_order': True ");
            f.Write(h, 0, 10);
            f.Write(System.Text.Encoding.ASCII.GetBytes(text));
            foreach (double v in new[] { 1.0, 4, 2, 5, 3, double.NaN }) f.Write(BitConverter.GetBytes(v));
        }
        var e = Assert.Throws<DataFormatException>(() => SampleFiles.LoadReal(path));
        Assert.Contains("holds NaN at row 2, column 3; data must be finite numbers", e.Message);
        var m = SampleFiles.Load<double>(path);
        Assert.Equal([1.0, 2, 3, 4, 5, double.NaN], m.Data);
    }

    [Fact]
    public void CsvAndHdf5StopAtTheirFirstBadValue()
    {
        using var dir = new TempDirectory();
        string csv = dir.File("d.csv");
        using (var w = new StreamWriter(csv))
        {
            w.WriteLine("1,-1,1");
            w.WriteLine("1,0,1");
            for (int i = 0; i < 200_000; i++) w.WriteLine("1,1,-1");
        }
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(csv));
        Assert.Contains("holds 0 at row 2, column 2 (line 2); Ising data must be -1 or +1", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalSeconds:F2} s: the rest of the file was read");

        var values = new double[300, 4];
        for (int r = 0; r < 300; r++) for (int c = 0; c < 4; c++) values[r, c] = r + c;
        values[250, 3] = double.PositiveInfinity;
        new H5File { ["x"] = new H5Dataset(values) }.Write(dir.File("d.h5"));
        e = Assert.Throws<DataFormatException>(() => SampleFiles.LoadReal(dir.File("d.h5") + ":/x"));
        Assert.Contains("holds ∞ at row 251, column 4; data must be finite numbers", e.Message.Replace("Infinity", "∞"));
        values[250, 3] = 7;
        new H5File { ["x"] = new H5Dataset(values) }.Write(dir.File("ok.h5"));
        var m = SampleFiles.LoadReal(dir.File("ok.h5") + ":/x");
        Assert.Equal(300 * 4, m.Data.Length);
        Assert.Equal(7, m[250, 3]);
        Assert.Equal(299 + 3, m[299, 3]);
    }

    [Fact]
    public void EveryReaderStopsForACancelledRun()
    {
        // Each reader looks at the run's cancellation per chunk (NPY), per line (CSV, text) or per
        // block of rows (HDF5): a cancelled run stops there; the same files read whole otherwise.
        using var dir = new TempDirectory();
        var values = new double[50, 3];
        for (int r = 0; r < 50; r++) for (int c = 0; c < 3; c++) values[r, c] = r - c;
        var matrix = new SampleMatrix<double>(50, 3);
        for (int r = 0; r < 50; r++) for (int c = 0; c < 3; c++) matrix[r, c] = values[r, c];
        string[] paths = [dir.File("d.npy"), dir.File("d.csv"), dir.File("d.txt"), dir.File("d.h5") + ":/x"];
        SampleFiles.Save(paths[0], matrix);
        SampleFiles.Save(paths[1], matrix);
        File.WriteAllLines(paths[2], Enumerable.Range(0, 50).Select(r => string.Join(" ", Enumerable.Range(0, 3).Select(c => values[r, c]))));
        new H5File { ["x"] = new H5Dataset(values) }.Write(dir.File("d.h5"));
        foreach (string path in paths) Assert.Equal(matrix.Data, SampleFiles.LoadReal(path).Data);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var scope = RunCancellation.Use(cancelled.Token);
        foreach (string path in paths) Assert.ThrowsAny<OperationCanceledException>(() => SampleFiles.LoadReal(path));
    }
}
