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
    [InlineData("gaussian out of domain", "exact --model gaussian --a 1 --K 0.7", "Gaussian chain needs a > 2|K|; got a=1, K=0.7")]
    [InlineData("gaussian rg out of domain", "rg --model gaussian --a 1 --K -0.5", "a > 2|K|")]
    [InlineData("gaussian sample out of domain", "sample --model gaussian --a -1 --out x.npy", "a > 2|K|")]
    [InlineData("gaussian NaN", "exact --model gaussian --h NaN", "finite")]
    [InlineData("accuracy too fine", "exact --model gaussian --accuracy 1e-20", "--accuracy must lie in")]
    [InlineData("grid too small", "exact --model gaussian --grid 1", "--grid must lie in")]
    [InlineData("phi4 lambda", "exact --model phi4 --lambda -0.5", "phi4 chain needs lambda > 0; got lambda=-0.5")]
    [InlineData("poisson K", "exact --model poisson --K 0.3", "Poisson chain is normalizable only for K <= 0; got K=0.3")]
    [InlineData("poisson mu", "rg --model poisson --mu 0", "Poisson chain needs mu > 0")]
    [InlineData("gamma alpha", "rg --model gamma --alpha -1", "Gamma chain needs alpha > 0 and beta > 0")]
    [InlineData("gamma K", "sample --model gamma --K 0.1 --out x.npy", "Gamma chain is normalizable only for K <= 0")]
    [InlineData("bernoulli NaN", "exact --model bernoulli --eta NaN", "finite")]
    [InlineData("parameter of another family", "exact --model gaussian --lambda 0.5", "--lambda does not apply to --model gaussian")]
    [InlineData("grid too coarse", "exact --model phi4 --grid 7", "7-point grid reaches accuracy")]
    [InlineData("accuracy out of reach", "exact --model phi4 --lambda 1e-8 --accuracy 1e-12", "needs more than")]
    [InlineData("gamma tail beyond double", "exact --model gamma --alpha 0.02", "left tail too heavy")]
    [InlineData("poisson too wide", "exact --model poisson --mu 1e5", "needs more than 2049 grid points")]
    [InlineData("fix-h without h", "fit --model poisson --data x.npy --fix-h 0", "x.npy")]
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
        File.WriteAllText(dir.File("d.xlsx"), "1,1\n");
        AssertUsageError(CliRunner.Run("fit", "--data", dir.File("d.xlsx")), ".npy and .csv");
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
        AssertUsageError(CliRunner.Run("fit", "--model", "gaussian", "--data", dir.File("nan.npy")), "finite");
        AssertUsageError(CliRunner.Run("fit", "--model", "phi4", "--data", dir.File("nan.npy")), "finite");
        File.WriteAllText(dir.File("negative.csv"), "1,2,3\n0,-1,2\n");
        AssertUsageError(CliRunner.Run("fit", "--model", "poisson", "--data", dir.File("negative.csv")), "outside the support of the poisson family (non-negative integers)");
        File.WriteAllText(dir.File("fraction.csv"), "1,2.5,3\n0,1,2\n");
        AssertUsageError(CliRunner.Run("fit", "--model", "poisson", "--data", dir.File("fraction.csv")), "non-negative integers");
        File.WriteAllText(dir.File("zero.csv"), "1,2,3\n0.5,0,2\n");
        AssertUsageError(CliRunner.Run("fit", "--model", "gamma", "--data", dir.File("zero.csv")), "outside the support of the gamma family (positive reals)");
        File.WriteAllText(dir.File("half.csv"), "1,0,1\n0,0.5,1\n");
        AssertUsageError(CliRunner.Run("fit", "--model", "bernoulli", "--data", dir.File("half.csv")), "0 or 1");
        File.WriteAllText(dir.File("counts.csv"), "1,0,1\n0,2,1\n");
        AssertUsageError(CliRunner.Run("fit", "--model", "poisson", "--data", dir.File("counts.csv"), "--fix-h", "0"), "a fixed field applies only to families with a field h");
    }
}
