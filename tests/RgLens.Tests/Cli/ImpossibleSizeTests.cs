using System.Diagnostics;
using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

/// <summary>Sizes that cannot be allocated are refused at once, naming what was asked and what fits, before any allocation.</summary>
public sealed class ImpossibleSizeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data()
    {
        string path = _dir.File("s.npy");
        if (!File.Exists(path)) Npy.WriteMatrix(path, NnTestData.Spins(200, 16, 1).Convert<sbyte>());
        return path;
    }

    public static TheoryData<string, string[]> Impossible() => new()
    {
        { "needs an array of 6.4E+09 elements; one array holds at most 2,147,483,591", ["train", "--widths", "16,100000000"] },
        { "--batch 2147483647 on 1 threads (280 parameters) needs an array of", ["train", "--widths", "16,8", "--batch", "2147483647", "--threads", "1"] },
        { "--threads 2147483647 is more than the 1024 threads rglens allows", ["train", "--widths", "16,8", "--threads", "2147483647"] },
        { "--threads 5000 is more than the 1024 threads", ["bench", "sample", "--threads", "5000"] },
        { "--threads 1025 is more than the 1024 threads", ["bench", "mlp", "--threads", "1025"] },
        { "--threads 2147483647 is more than the 1024 threads", ["sample", "--threads", "2147483647", "--out", "OUT/x.npy"] },
        { "--samples 1000 x --N 2147483647 (blocks of 1000 samples) needs an array of 2.147E+12 elements", ["sample", "--N", "2147483647", "--out", "OUT/x.npy"] },
        { "--samples 4 x --N 2000000000", ["sample", "--model", "gaussian", "--N", "2000000000", "--samples", "4", "--out", "OUT/x.npy"] },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void RefusedQuicklyWithOneLineAndExitTwo(string fragment, string[] args)
    {
        args = args.Select(a => a.Replace("OUT", _dir.Path)).ToArray();
        if (args[0] == "train") args = [.. args, "--data", Data(), "--epochs", "1", "--out", _dir.File("run")];
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(args);
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64 << 20, "allocated more than 64 MB");
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}; stderr: {r.Error}");
        string line = r.Error.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("rglens: error: ", line);
        Assert.Contains(fragment, line);
        Assert.False(File.Exists(_dir.File("x.npy")));
    }

    [Fact]
    public void MoreThanTheMemoryIsRefusedNamingBothAmounts()
    {
        // 16 → 30M → 16: about 1e9 parameters, ~4 GB per vector, far more than 7 + threads of them fit
        // anywhere this suite runs, yet each vector fits one array.
        double p = TrainingFootprint.Parameters(NetworkSpec.Autoencoder([16, 30_000_000], Activation.Tanh));
        Assert.Equal(16.0 * 30e6 + 30e6 + 30e6 * 16 + 16, p);
        var (bytes, largest) = TrainingFootprint.Estimate(NetworkSpec.Autoencoder([16, 30_000_000], Activation.Tanh), 128, 2);
        Assert.True(largest < Array.MaxLength);
        Assert.True(bytes > 9 * 4 * p);
        if (bytes <= MemoryBudget.AvailableBytes) return; // a machine with > ~40 GB: nothing to refuse
        var r = CliRunner.Run("train", "--data", Data(), "--widths", "16,30000000", "--threads", "2", "--out", _dir.File("run"));
        Assert.True(r.ExitCode == 2, r.Error);
        Assert.Contains("--widths 16,30000000 with --batch 128 on 2 threads (9.9E+08 parameters) needs at least", r.Error);
        Assert.Contains("of memory; this process can use", r.Error);
    }

    [Fact]
    public void TheParameterCountAndBudgetAreExactForSmallNetworks()
    {
        var spec = NetworkSpec.Autoencoder([16, 8, 4], Activation.Tanh);
        Assert.Equal(16 * 8 + 8 + 8 * 4 + 4 + 4 * 8 + 8 + 8 * 16 + 16, TrainingFootprint.Parameters(spec));
        TrainingFootprint.Require(spec, 128, 4);
        MemoryBudget.Require("small", 1e6, 1e5);
        Assert.Equal("1.5 GB", MemoryBudget.Format(1.5e9));
        Assert.Equal("512 bytes", MemoryBudget.Format(512));
        var e = Assert.Throws<RgLensException>(() => new SampleMatrix<double>(100_000, 100_000));
        Assert.Contains("a 100000 x 100000 matrix of Double needs an array of 1E+10 elements", e.Message);
    }

    [Fact]
    public void TheLibraryRefusesTooManyThreadsBeforeAllocating()
    {
        var spec = NetworkSpec.Autoencoder([16, 8], Activation.Tanh);
        var x = NnTestData.Spins(50, 16, 1);
        var e = Assert.Throws<RgLensException>(() => Trainer.Train(spec, x, null, new TrainerOptions { Threads = 100_000 }));
        Assert.Contains("100000 threads asked; at most 1024", e.Message);
    }

    [Theory]
    [InlineData("fit --model ising --data x.npy --replicates 1000000000", "--replicates 1000000000")]
    [InlineData("rg --model ising --K 0.8 --steps 100000000", "--steps 100000000")]
    public void CountsBeyondAnyUseAreRefusedBeforeAllocating(string line, string fragment)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = CliRunner.Run(line.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(fragment, r.Error);
        Assert.True(clock.Elapsed.TotalSeconds < 5);
    }
}
