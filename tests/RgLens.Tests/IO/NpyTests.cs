using System.Diagnostics;
using System.Text;
using RgLens.Data;
using RgLens.IO;

namespace RgLens.Tests.IO;

public class NpyTests
{
    [Fact]
    public void RoundTripsEveryElementType()
    {
        using var dir = new TempDirectory();
        RoundTrip(dir, new sbyte[] { 1, -1, -1, 1, 1, -1 });
        RoundTrip(dir, new byte[] { 0, 1, 255, 3, 4, 5 });
        RoundTrip(dir, new short[] { -3, 2, 1000, 4, 5, 6 });
        RoundTrip(dir, new int[] { -7, 1 << 30, 3, 4, 5, 6 });
        RoundTrip(dir, new long[] { -7, 1L << 40, 3, 4, 5, 6 });
        RoundTrip(dir, new float[] { 1.5f, -2.25f, float.Epsilon, 4, 5, 6 });
        RoundTrip(dir, new double[] { Math.PI, -1e300, double.Epsilon, 4, 5, 6 });
    }

    private static void RoundTrip<T>(TempDirectory dir, T[] values) where T : unmanaged, System.Numerics.INumber<T>
    {
        string path = dir.File($"{typeof(T).Name}.npy");
        Npy.WriteMatrix(path, new SampleMatrix<T>(values, 2, 3));
        var back = Npy.ReadMatrix<T>(path);
        Assert.Equal((2, 3), (back.Rows, back.Columns));
        Assert.Equal(values, back.Data);
        // The header is padded so that the data start on a 64-byte boundary (NPY spec).
        Assert.Equal(0, NpyHeader.Read(File.OpenRead(path), path).DataOffset % 64);
    }

    [Fact]
    public void NumPyReadsOurFilesAndWeReadNumPys()
    {
        using var dir = new TempDirectory();
        string ours = dir.File("ours.npy"), theirs = dir.File("theirs.npy");
        Npy.WriteMatrix(ours, new SampleMatrix<sbyte>([1, -1, 1, 1, -1, -1], 2, 3));
        string script = $"import numpy as np; a = np.load('{ours}'); assert a.dtype == np.int8 and a.shape == (2, 3), (a.dtype, a.shape); "
                        + $"print(int(a.sum()), int(a[0, 1])); np.save('{theirs}', np.asfortranarray(np.arange(12, dtype='>f8').reshape(3, 4)))";
        var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output);
        Assert.Equal("0 -1", output.Trim());
        var back = Npy.ReadMatrix<double>(theirs); // big-endian, Fortran order
        Assert.Equal((3, 4), (back.Rows, back.Columns));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (double)i), back.Data);
    }

    [Fact]
    public void MalformedFilesGiveOneClearError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.npy");
        File.WriteAllText(path, "not numpy at all");
        Assert.Contains("not an NPY file", Assert.Throws<DataFormatException>(() => Npy.ReadMatrix<double>(path)).Message);

        Npy.WriteMatrix(path, new SampleMatrix<double>(new double[40], 4, 10));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 9)]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => Npy.ReadMatrix<double>(path)).Message);

        Assert.Contains("does not exist", Assert.Throws<DataFormatException>(() => Npy.ReadMatrix<double>(dir.File("missing.npy"))).Message);

        using (var f = File.Create(path)) Npy.Write<double>(f, new double[8], [2, 2, 2]);
        Assert.Contains("3-D", Assert.Throws<DataFormatException>(() => Npy.ReadMatrix<double>(path)).Message);

        Npy.WriteMatrix(path, new SampleMatrix<double>([0.5, 1], 1, 2));
        Assert.Contains("integer", Assert.Throws<DataFormatException>(() => Npy.ReadMatrix<sbyte>(path)).Message);

        var header = Encoding.ASCII.GetBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }");
        using (var f = File.Create(path))
        {
            f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
            f.Write(header);
        }
        Assert.Contains("element type", Assert.Throws<DataFormatException>(() => Npy.ReadMatrix<double>(path)).Message);
    }

    [Fact]
    public void StreamingWriterMatchesOneShotWrite()
    {
        using var dir = new TempDirectory();
        var data = Enumerable.Range(0, 30).Select(i => (sbyte)(i % 3 - 1)).ToArray();
        string a = dir.File("a.npy"), b = dir.File("b.npy");
        Npy.WriteMatrix(a, new SampleMatrix<sbyte>(data, 10, 3));
        using (var w = new NpyRowWriter<sbyte>(b, 10, 3))
        {
            w.Append(new SampleMatrix<sbyte>(data[..12], 4, 3));
            w.Append(new SampleMatrix<sbyte>(data[12..], 6, 3));
            w.Commit();
        }
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }
}
