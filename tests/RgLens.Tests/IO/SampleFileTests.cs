using RgLens.Data;
using RgLens.IO;

namespace RgLens.Tests.IO;

public class SampleFileTests
{
    [Fact]
    public void CsvRoundTripsAndSkipsAHeader()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.csv");
        var m = new SampleMatrix<sbyte>([1, -1, 1, -1, -1, 1], 2, 3);
        SampleFiles.Save(path, m);
        Assert.Equal("1,-1,1\n-1,-1,1\n", File.ReadAllText(path));
        Assert.Equal(m.Data, SampleFiles.LoadSpins(path).Data);
        File.WriteAllText(path, "s1,s2\n1,-1\n-1,1\n");
        Assert.Equal(new sbyte[] { 1, -1, -1, 1 }, SampleFiles.LoadSpins(path).Data);
    }

    [Fact]
    public void SpinDataRefuseEverythingElse()
    {
        using var dir = new TempDirectory();
        string csv = dir.File("s.csv");
        File.WriteAllText(csv, "1,-1,1\n1,1\n");
        Assert.Contains("different lengths", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(csv)).Message);
        File.WriteAllText(csv, "1,-1,0\n1,1,1\n");
        Assert.Contains("-1 or +1", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(csv)).Message);
        File.WriteAllText(csv, "1,x\n");
        Assert.Contains("not a number", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(csv)).Message);
        File.WriteAllText(csv, "1\n-1\n");
        Assert.Contains("N >= 2", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(csv)).Message);
        File.WriteAllText(csv, "\n");
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(csv)).Message);
        string txt = dir.File("s.xlsx");
        File.WriteAllText(txt, "1,1\n");
        Assert.Contains(".npy and .csv", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(txt)).Message);
        string npy = dir.File("s.npy");
        Npy.WriteMatrix(npy, new SampleMatrix<double>([1, double.NaN], 1, 2));
        Assert.Contains("finite", Assert.Throws<DataFormatException>(() => SampleFiles.LoadReal(npy)).Message);
        Assert.Contains("-1 or +1", Assert.Throws<DataFormatException>(() => SampleFiles.LoadSpins(npy)).Message);
    }

    [Fact]
    public void AtomicFileLeavesNothingUnlessCommitted()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.bin");
        using (var f = AtomicFile.Create(path))
        {
            f.Stream.Write([1, 2, 3]);
            Assert.True(File.Exists(f.TempPath));
            Assert.False(File.Exists(path));
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
        AtomicFile.WriteAllText(path, "done");
        Assert.Equal("done", File.ReadAllText(path));
        // A temporary left by a killed process (here: a pid that cannot exist) is removed on the next write.
        string stale = dir.File(".out.bin.999999999.deadbeef.partial");
        File.WriteAllText(stale, "half");
        AtomicFile.WriteAllText(path, "again");
        Assert.False(File.Exists(stale));
        Assert.Contains("does not exist", Assert.Throws<RgLensException>(() => AtomicFile.Create(dir.File("no/such/dir/x.npy"))).Message);
    }
}
