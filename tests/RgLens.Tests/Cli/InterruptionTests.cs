using System.Diagnostics;

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
        Process.Start("kill", ["-TERM", p.Id.ToString()])!.WaitForExit();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("interrupted", p.StandardError.ReadToEnd());
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.partial"));
    }
}
