using System.Diagnostics;
using RgLens.Nn;
using RgLens.Tests.Nn;

namespace RgLens.Tests.Cli;

public class InterruptionTests
{
    /// <summary>Starts a long NPY sample and waits until its hidden temporary file appears.</summary>
    private static (Process Process, string Target) StartLongSample(TempDirectory dir)
    {
        string target = dir.File("big.npy");
        var p = CliRunner.Start("sample", "--N", "1024", "--samples", "3000000", "--out", target);
        var clock = Stopwatch.StartNew();
        while (!Directory.EnumerateFiles(dir.Path, ".big.npy.*.partial").Any())
        {
            if (p.HasExited) throw new Xunit.Sdk.XunitException("the sample run ended before it could be interrupted: " + p.StandardError.ReadToEnd());
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("no temporary file appeared");
            Thread.Sleep(20);
        }
        Thread.Sleep(150);
        return (p, target);
    }

    [Fact]
    public void KilledSampleLeavesNoFileUnderTheTargetName()
    {
        using var dir = new TempDirectory();
        var (p, target) = StartLongSample(dir);
        Assert.False(p.HasExited, "the run finished before the kill; make it longer");
        p.Kill(); // SIGKILL: no handler runs
        p.WaitForExit();
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".run.json"));
        // The next write to the same target removes the dead process's temporary file.
        var r = CliRunner.Run("sample", "--N", "8", "--samples", "10", "--out", target);
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.partial"));
    }

    [Fact]
    public void TerminatedSampleCleansUpAndExits130()
    {
        using var dir = new TempDirectory();
        var (p, target) = StartLongSample(dir);
        CliRunner.TerminateAndExpectInterrupted(p, TimeSpan.FromSeconds(30));
        Assert.Contains("interrupted", p.StandardError.ReadToEnd());
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.partial"));
    }

    [Fact]
    public void AFitOfAGridFamilyStopsOnSigtermWith130()
    {
        using var dir = new TempDirectory();
        string data = dir.File("phi.npy");
        Assert.Equal(0, CliRunner.Run("sample", "--model", "phi4", "--N", "16", "--samples", "2000", "--out", data).ExitCode);
        using var p = CliRunner.Start("fit", "--model", "phi4", "--data", data, "--replicates", "100000");
        Thread.Sleep(2500);
        Assert.False(p.HasExited, "the fit ended before the signal");
        var took = CliRunner.TerminateAndExpectInterrupted(p, TimeSpan.FromSeconds(10));
        Assert.True(took.TotalSeconds < 5, $"stopped after {took.TotalSeconds:F1} s");
    }

    [Fact]
    public void ALongExportEndsWithinTheGracePeriod()
    {
        // The ONNX export of a large network (about 10 s for 2048-8192-2048 here) checks for
        // cancellation before each layer and before writing; between those points a layer's
        // encoding runs on, and the signal's watchdog covers it. Either way: 130 within the grace period.
        using var dir = new TempDirectory();
        string network = dir.File("huge.npz");
        NnTestData.RandomNetwork(NetworkSpec.Autoencoder([2048, 8192]), seed: 5).Save(network);
        using var p = CliRunner.Start("export", "--network", network, "--to", dir.File("huge.onnx"));
        Thread.Sleep(1500);
        Assert.False(p.HasExited, "the export finished before the signal");
        var took = CliRunner.TerminateAndExpectInterrupted(p, TimeSpan.FromSeconds(15));
        Assert.True(took < RgLens.Cli.CliApp.SignalGracePeriod + TimeSpan.FromSeconds(3), $"ended after {took.TotalSeconds:F1} s");
        Assert.Contains("interrupted", p.StandardError.ReadToEnd());
        Assert.False(File.Exists(dir.File("huge.onnx")));
    }

    [Fact]
    public void TheExactSolutionStopsAtItsOwnCancellationPoints()
    {
        // The exact solution on a 1025-point grid: kernel, grid checks, eigen-decomposition
        // (SymmetricEigen) and site operators all check the run's cancellation, so SIGTERM ends it
        // before the watchdog's grace period (measured: about 50 ms).
        using var p = CliRunner.Start("exact", "--model", "phi4", "--grid", "1025");
        Thread.Sleep(1500);
        Assert.False(p.HasExited, "the solution finished before the signal");
        var took = CliRunner.TerminateAndExpectInterrupted(p, TimeSpan.FromSeconds(15));
        Assert.True(took < RgLens.Cli.CliApp.SignalGracePeriod, $"ended after {took.TotalSeconds:F1} s, as late as the watchdog");
        Assert.Contains("interrupted", p.StandardError.ReadToEnd());
    }
}
