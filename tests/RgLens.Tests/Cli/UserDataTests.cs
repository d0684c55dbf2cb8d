using System.IO.Compression;
using RgLens.Data;
using RgLens.IO;

namespace RgLens.Tests.Cli;

/// <summary>
/// The data files researchers already have: 0/1 data given to the Ising chain, whitespace- and
/// tab-separated text, arrays inside .npz archives, and errors that name the row and column of
/// the first bad value. A bad file is one line on stderr and exit code 2.
/// </summary>
public class UserDataTests
{
    private static void AssertBadFile(CliRunner.Result r, params string[] fragments)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        foreach (var f in fragments) Assert.Contains(f, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error);
    }

    /// <summary>A deterministic 40 × 6 matrix of ±1 spins.</summary>
    private static double[,] Spins()
    {
        var rng = new Random(7);
        var m = new double[40, 6];
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 6; j++) m[i, j] = rng.Next(2) == 0 ? -1 : 1;
        return m;
    }

    private static string Text(double[,] m, string separator) =>
        string.Join('\n', Enumerable.Range(0, m.GetLength(0)).Select(i =>
            string.Join(separator, Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture))))) + "\n";

    private static SampleMatrix<double> Matrix(double[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        var data = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) data[i * cols + j] = m[i, j];
        return new SampleMatrix<double>(data, rows, cols);
    }

    private static void WriteNpz(string path, params (string Name, SampleMatrix<double> Matrix)[] arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, m) in arrays)
        {
            using var s = zip.CreateEntry(name + ".npy").Open();
            Npy.Write<double>(s, m.Data, [m.Rows, m.Columns]);
        }
    }

    [Theory]
    [InlineData("occupations.csv", "1,0,1\n0,0,1\n1,1,1\n", "ising", "--model bernoulli")] // 0/1 data read as spins
    [InlineData("spins.csv", "1,-1,1\n-1,1,1\n", "bernoulli", "--model ising")] // ±1 data read as occupations
    public void BinaryDataOfTheOtherFamilySuggestIt(string file, string content, string model, string hint)
    {
        using var dir = new TempDirectory();
        string path = dir.File(file);
        File.WriteAllText(path, content);
        var r = CliRunner.Run("fit", "--model", model, "--data", path, "--replicates", "0");
        AssertBadFile(r, file, "row 1, column 2", hint);
    }

    [Theory]
    [InlineData("spins.txt", " ")]
    [InlineData("spins.dat", "\t")]
    [InlineData("spins.tsv", " \t  ")]
    public void WhitespaceSeparatedTextIsReadLikeCsv(string name, string separator)
    {
        using var dir = new TempDirectory();
        var spins = Spins();
        string csv = dir.File("spins.csv"), text = dir.File(name);
        File.WriteAllText(csv, Text(spins, ","));
        File.WriteAllText(text, "# written by numpy.savetxt\n" + Text(spins, separator));
        var fromCsv = CliRunner.Run("fit", "--data", csv, "--replicates", "0", "--json");
        var fromText = CliRunner.Run("fit", "--data", text, "--replicates", "0", "--json");
        Assert.True(fromText.ExitCode == 0, fromText.Error);
        Assert.Equal(fromCsv.Output, fromText.Output);
        Assert.Equal(Matrix(spins).Data, SampleFiles.Load<double>(text).Data);
    }

    [Fact]
    public void CommaSeparatedTextNamedTxtIsReadAsCsv()
    {
        using var dir = new TempDirectory();
        string path = dir.File("spins.txt");
        File.WriteAllText(path, "1, -1, 1\n-1,1,1\n");
        Assert.Equal(new double[] { 1, -1, 1, -1, 1, 1 }, SampleFiles.Load<double>(path).Data);
    }

    [Fact]
    public void NamedArrayOfAnNpzArchiveIsRead()
    {
        using var dir = new TempDirectory();
        var spins = Matrix(Spins());
        string npy = dir.File("spins.npy"), npz = dir.File("run.npz");
        Npy.WriteMatrix(npy, spins);
        WriteNpz(npz, ("weights", Matrix(new double[,] { { 0.5, 2 } })), ("spins", spins));
        var fromNpy = CliRunner.Run("fit", "--data", npy, "--replicates", "0", "--json");
        var fromNpz = CliRunner.Run("fit", "--data", npz + ":spins", "--replicates", "0", "--json");
        Assert.True(fromNpz.ExitCode == 0, fromNpz.Error);
        Assert.Equal(fromNpy.Output, fromNpz.Output);
    }

    [Fact]
    public void AnNpzWithOneArrayNeedsNoName()
    {
        using var dir = new TempDirectory();
        var spins = Matrix(Spins());
        string npz = dir.File("one.npz");
        WriteNpz(npz, ("arr_0", spins));
        Assert.Equal(spins.Data, SampleFiles.Load<double>(npz).Data);
    }

    [Fact]
    public void NpzErrorsNameTheArrays()
    {
        using var dir = new TempDirectory();
        string npz = dir.File("run.npz");
        WriteNpz(npz, ("a", Matrix(new double[,] { { 1, -1 } })), ("b", Matrix(new double[,] { { 1, 1 } })));
        AssertBadFile(CliRunner.Run("fit", "--data", npz), "holds 2 arrays (a, b)", ":NAME");
        AssertBadFile(CliRunner.Run("fit", "--data", npz + ":c"), "no array 'c'", "a, b");
        string notZip = dir.File("broken.npz");
        File.WriteAllText(notZip, "not a zip");
        AssertBadFile(CliRunner.Run("fit", "--data", notZip + ":a"), "not an .npz archive");
    }

    [Fact]
    public void NpzIsNotAnOutputFormat()
    {
        using var dir = new TempDirectory();
        AssertBadFile(CliRunner.Run("sample", "--out", dir.File("x.npz:s"), "--N", "4", "--samples", "8"), "writes .npy and .csv");
        AssertBadFile(CliRunner.Run("sample", "--out", dir.File("x.txt"), "--N", "4", "--samples", "8"), "writes .npy and .csv");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("bad.csv", "1,-1,1\n1,-1,x\n", "row 2), column 3", "'x' is not a number")]
    [InlineData("bad.txt", "1 -1 1\n-1\t1 1\n1 oops 1\n", "row 3), column 2", "'oops' is not a number")]
    [InlineData("ragged.dat", "1 -1 1\n1 1\n", "(row 2) has 2 values", "earlier rows have 3")]
    [InlineData("bad.csv", "1,-1,1\n1,-1,3\n", "row 2, column 3", "-1 or +1")]
    public void FileErrorsNameTheRowAndColumnOfTheFirstBadValue(string name, string content, string where, string what)
    {
        using var dir = new TempDirectory();
        string path = dir.File(name);
        File.WriteAllText(path, content);
        AssertBadFile(CliRunner.Run("fit", "--data", path, "--replicates", "0"), name, where, what);
    }

    [Fact]
    public void NpyErrorsNameTheRowAndColumn()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.npy");
        Npy.WriteMatrix(path, Matrix(new double[,] { { 1, -1, 1 }, { 1, 0.5, 1 } }));
        AssertBadFile(CliRunner.Run("fit", "--data", path, "--replicates", "0"), "bad.npy", "row 2, column 2");
    }

    [Fact]
    public void BenchAcceptsJson()
    {
        // --json is a no-op on bench: its only format is JSON. A bad --workload is rejected
        // after parsing, so this exercises the parser without running a benchmark.
        var r = CliRunner.Run("bench", "mlp", "--json", "--workload", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown --workload 'nope'", r.Error);
        Assert.DoesNotContain("Unrecognized", r.Error);
    }

    [Theory]
    [InlineData("bench mlp --bogus", "rglens bench mlp --help")]
    [InlineData("bench sample --bogus", "rglens bench sample --help")]
    [InlineData("fit --bogus", "rglens fit --help")]
    [InlineData("--bogus", "rglens --help")]
    public void UsageHintsNameARealCommand(string args, string hint)
    {
        var r = CliRunner.Run(args.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"(see '{hint}')", r.Error);
    }
}
