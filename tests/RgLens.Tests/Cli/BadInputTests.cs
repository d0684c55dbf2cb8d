using RgLens.Data;
using RgLens.IO;

namespace RgLens.Tests.Cli;

public class BadInputTests
{
    private static void AssertUsageError(CliRunner.Result r, string expectedFragment)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        Assert.Contains(expectedFragment, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.DoesNotContain("NaN", r.Output);
    }

    [Theory]
    [InlineData("unknown model", "exact --model potts", "unknown model 'potts'")]
    [InlineData("unknown option", "exact --bogus 3", "--bogus")]
    [InlineData("unknown command", "explode", "explode")]
    [InlineData("N < 2", "exact --N 1", "--N must be >= 2")]
    [InlineData("b < 2", "rg --b 1", "--b must be >= 2")]
    [InlineData("steps < 0", "rg --steps -1", "--steps must be >= 0")]
    [InlineData("NaN coupling", "exact --K NaN", "finite")]
    [InlineData("infinite field", "rg --h Infinity", "finite")]
    [InlineData("not a number", "exact --K abc", "abc")]
    [InlineData("parameter no family has", "exact --model ising --zeta 2", "--zeta")]
    [InlineData("bad boundary", "exact --boundary twisted", "twisted")]
    [InlineData("bad method", "fit --data x.npy --method magic", "magic")]
    [InlineData("negative seed", "sample --out x.npy --seed -4", "--seed must be >= 0")]
    public void UsageErrorsGiveOneLineAndExitTwo(string what, string commandLine, string fragment)
    {
        Assert.NotNull(what);
        AssertUsageError(CliRunner.Run(commandLine.Split(' ')), fragment);
    }

    [Fact]
    public void SampleRejectsBadCountsAndUnwritablePaths()
    {
        using var dir = new TempDirectory();
        AssertUsageError(CliRunner.Run("sample", "--samples", "0", "--out", dir.File("s.npy")), "--samples must be > 0");
        AssertUsageError(CliRunner.Run("sample", "--samples", "-3", "--out", dir.File("s.npy")), "--samples must be > 0");
        AssertUsageError(CliRunner.Run("sample", "--out", dir.File("s.txt")), ".npy and .csv");
        AssertUsageError(CliRunner.Run("sample", "--out", "/nonexistent-folder/s.npy"), "does not exist");
        AssertUsageError(CliRunner.Run("sample", "--out", dir.Path + "/"), ".npy and .csv");
        Directory.CreateDirectory(dir.File("taken.npy"));
        AssertUsageError(CliRunner.Run("sample", "--out", dir.File("taken.npy")), "folder of that name");
        Assert.Equal(new[] { "taken.npy" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FitRejectsBadDataFiles()
    {
        using var dir = new TempDirectory();
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("missing.npy")), "does not exist");
        File.WriteAllText(dir.File("d.txt"), "1,1\n");
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("d.txt")), ".npy and .csv");
        File.WriteAllText(dir.File("fake.npy"), "hello");
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("fake.npy")), "not an NPY file");
        File.WriteAllText(dir.File("ragged.csv"), "1,-1,1\n1,1\n");
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("ragged.csv")), "different lengths");
        Npy.WriteMatrix(dir.File("zeros.npy"), new SampleMatrix<sbyte>(new sbyte[8], 2, 4));
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("zeros.npy")), "-1 or +1");
        Npy.WriteMatrix(dir.File("nan.npy"), new SampleMatrix<double>([1, double.NaN, 1, 1], 2, 2));
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("nan.npy")), "finite");
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("zeros.npy"), "--confidence", "1.2"), "confidence");
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("zeros.npy"), "--replicates", "-1"), "--replicates");
    }
}
