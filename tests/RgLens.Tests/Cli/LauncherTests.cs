using System.Diagnostics;
using RgLens.Cli;
using Xunit.Abstractions;

namespace RgLens.Tests.Cli;

/// <summary>
/// The <c>rglens</c> launcher script (docs/reliability.md, "Signals"): it stays the parent of the
/// tool, so that a signal from the first millisecond ends the run with 130 and no output, and the
/// tool ends if the launcher is killed. Run with <c>RGLENS_DLL</c> on this test's build.
/// </summary>
[Collection(SequentialCollection.Name)]
public class LauncherTests(ITestOutputHelper log)
{
    private static readonly string[] LongSample = ["sample", "--N", "1024", "--samples", "3000000", "--out"];

    private static Process StartLauncher(IReadOnlyList<string> args, string? peakFile = null)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(Architecture.NamespaceLayeringTests.RepositoryRoot(), "rglens"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["RGLENS_DLL"] = Path.Combine(AppContext.BaseDirectory, "rglens.dll");
        // The dotnet host that runs these tests first on the PATH, as CliRunner uses it.
        info.Environment["PATH"] = Path.GetDirectoryName(Environment.ProcessPath!) + ":" + Environment.GetEnvironmentVariable("PATH");
        if (peakFile is not null) info.Environment[Program.PeakMemoryVariable] = peakFile;
        return Process.Start(info)!;
    }

    /// <summary>Whether the process has a handler for SIGTERM (bit 15 of SigCgt in /proc/PID/status).</summary>
    private static bool CatchesSigterm(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigCgt:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigCgt:".Length..].Trim(), 16) & (1UL << 14)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task ASignalFromTheLaunchersFirstMillisecondsEndsTheRunWith130AndNoOutput()
    {
        using var dir = new TempDirectory();
        int[] delaysMs = [0, 1, 2, 5, 10, 20, 40, 60, 100, 300];
        foreach (int ms in delaysMs)
        {
            string file = dir.File($"s{ms}.npy");
            using var p = StartLauncher([.. LongSample, file]);
            var error = p.StandardError.ReadToEndAsync();
            if (ms > 0) Thread.Sleep(ms);
            bool caught = CatchesSigterm(p.Id);
            Assert.Equal(0, CliRunner.Signal(p.Id, 15));
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), $"SIGTERM at {ms} ms: the run did not end within 30 s");
            p.WaitForExit();
            string stderr = await error;
            log.WriteLine($"SIGTERM {ms,3} ms after the launcher started ({(caught ? "its handler in place" : "before its handler")}): exit {p.ExitCode}");
            // Before the shell has read its first line nothing can catch the signal (143); after, 130 always.
            if (caught) Assert.True(p.ExitCode == 130, $"SIGTERM at {ms} ms: exit {p.ExitCode}; stderr: {stderr}");
            else Assert.True(p.ExitCode is 130 or 143, $"SIGTERM at {ms} ms: exit {p.ExitCode}; stderr: {stderr}");
            if (ms >= 100) Assert.True(caught, $"the launcher had no SIGTERM handler {ms} ms after its start");
            if (p.ExitCode == 130) Assert.Equal("rglens: interrupted; no partial output was kept.", stderr.Trim());
            Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        }
    }

    [Fact]
    public void KillingTheLauncherEndsTheToolWithoutOutput()
    {
        using var dir = new TempDirectory();
        string peakFile = Path.Combine(Path.GetTempPath(), $"rglens-peak-{Guid.NewGuid():N}");
        try
        {
            using var p = StartLauncher([.. LongSample, dir.File("s.npy")], peakFile);
            // The tool writes "running" to the file once its handlers are in place, and its peak memory at exit.
            var clock = Stopwatch.StartNew();
            while (!File.Exists(peakFile) && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            Thread.Sleep(500); // into the sampling
            Assert.Equal(0, CliRunner.Signal(p.Id, 9));
            p.WaitForExit();
            clock.Restart();
            // (The file is rewritten at exit: read until it holds the peak, not while it is being written.)
            while (!File.ReadAllText(peakFile).Trim().EndsWith("kB", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
            log.WriteLine($"the tool ended {clock.Elapsed.TotalMilliseconds:F0} ms after its launcher was killed");
            Assert.EndsWith("kB", File.ReadAllText(peakFile).Trim()); // written at the tool's exit
            Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        }
        finally
        {
            File.Delete(peakFile);
        }
    }

    [Fact]
    public void TheToolsOutputAndExitCodesPassThrough()
    {
        using var dir = new TempDirectory();
        using (var bad = StartLauncher(["sample", "--N", "1", "--out", dir.File("x.npy")]))
        {
            string error = bad.StandardError.ReadToEnd();
            bad.WaitForExit();
            CliRunner.AssertOneLineError(bad.ExitCode, error, "--N", "sample --N 1 through the launcher");
        }
        using var ok = StartLauncher(["sample", "--N", "8", "--samples", "5", "--out", dir.File("ok.npy")]);
        string output = ok.StandardOutput.ReadToEnd();
        ok.WaitForExit();
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("wrote 5 samples", output);
        Assert.True(File.Exists(dir.File("ok.npy")));
    }
}
