using System.Diagnostics;

namespace RgLens.Tests.IO;

/// <summary>NPY files of every integer and float width NumPy writes, read back exactly.</summary>
public class NpyWideTypesTests
{
    [Theory]
    [InlineData("float16", "[[0.5, -1.25], [2.0, 65504.0]]", new[] { 0.5, -1.25, 2.0, 65504.0 })]
    [InlineData("uint16", "[[0, 1], [65535, 7]]", new[] { 0.0, 1, 65535, 7 })]
    [InlineData("uint32", "[[0, 1], [4294967295, 7]]", new[] { 0.0, 1, 4294967295, 7 })]
    [InlineData("uint64", "[[0, 1], [9007199254740992, 7]]", new[] { 0.0, 1, 9007199254740992, 7 })]
    [InlineData(">u2", "[[1, 2], [3, 258]]", new[] { 1.0, 2, 3, 258 })]
    public void ReadsWhatNumPyWrites(string dtype, string values, double[] expected)
    {
        using var dir = new TempDirectory();
        string file = dir.File("a.npy");
        var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", $"import numpy as np; np.save('{file}', np.array({values}, dtype=np.dtype('{dtype}')))"]) { RedirectStandardError = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "NumPy is needed: " + err);
        var m = RgLens.IO.SampleFiles.Load<double>(file);
        Assert.Equal((2, 2), (m.Rows, m.Columns));
        Assert.Equal(expected, m.Data);
    }
}
