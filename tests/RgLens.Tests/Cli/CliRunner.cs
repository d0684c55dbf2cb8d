using System.Diagnostics;
using System.Runtime.InteropServices;
using RgLens.Cli;

namespace RgLens.Tests.Cli;

/// <summary>Runs the CLI in-process (fast) or as a real process (signals, exit codes, peak memory): the one place tests start <c>rglens</c>.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>A finished child process: exit code, output, and its peak resident memory in kB (Linux; null elsewhere).</summary>
    /// <param name="MainAfter">With <c>afterMain</c>: how long after the start the signal handlers were in place.</param>
    /// <param name="SignalledAfterMain">Whether the handlers were in place when SIGTERM was sent (null: no signal was sent).</param>
    public sealed record ProcessResult(int ExitCode, string Output, string Error, long? PeakKb, TimeSpan Elapsed, TimeSpan? MainAfter = null, bool? SignalledAfterMain = null);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>The <c>dotnet</c> host that runs this test process (falls back to the one on the PATH).</summary>
    private static string Dotnet =>
        Path.Combine(Path.GetDirectoryName(Environment.ProcessPath!)!, "dotnet") is var d && File.Exists(d) ? d : "dotnet";

    /// <summary>Starts <c>dotnet rglens.dll args</c> from the test's output folder, with extra environment variables.</summary>
    public static Process Start(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rglens.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Starts <c>dotnet rglens.dll args</c> from the test's output folder.</summary>
    public static Process Start(params string[] args) => Start(args, null);

    /// <summary>Sends SIGTERM (at once, without starting a <c>kill</c> process).</summary>
    public static void Terminate(Process p)
    {
        if (SysKill(p.Id, 15) != 0 && !p.HasExited) throw new InvalidOperationException($"kill({p.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Sends SIGTERM, asserts that the process ends within <paramref name="limit"/> with exit code 130, and returns how long it took.</summary>
    public static TimeSpan TerminateAndExpectInterrupted(Process p, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        Terminate(p);
        Assert.True(p.WaitForExit(limit), $"the run did not end within {limit.TotalSeconds:F0} s of SIGTERM");
        Assert.Equal(130, p.ExitCode);
        return clock.Elapsed;
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/> with kill(2), without starting a <c>kill</c> process; 0 on success.</summary>
    public static int Signal(int pid, int signal) => SysKill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    /// <summary>
    /// Runs <c>rglens args</c> as a process to its end (or <paramref name="timeout"/>, then kills it
    /// and fails), optionally sending SIGTERM <paramref name="terminateAfter"/> after the start
    /// (after Main has installed its signal handlers when <paramref name="afterMain"/>), and reads
    /// its peak resident memory (VmHWM, which rglens writes at exit for these tests).
    /// </summary>
    public static ProcessResult RunProcess(string[] args, TimeSpan? terminateAfter = null, TimeSpan? timeout = null, bool afterMain = false)
    {
        string peakFile = Path.Combine(Path.GetTempPath(), $"rglens-peak-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        using var p = Start(args, new Dictionary<string, string> { [Program.PeakMemoryVariable] = peakFile });
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        TimeSpan? mainAfter = null;
        bool? signalledAfterMain = null;
        if (terminateAfter is { } delay)
        {
            var since = TimeSpan.Zero;
            if (afterMain)
            {
                // rglens creates the file once its handlers are installed (Program.PeakMemoryVariable).
                while (!File.Exists(peakFile) && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(1);
                since = clock.Elapsed;
                mainAfter = since;
            }
            var wait = since + delay - clock.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            if (!p.HasExited)
            {
                signalledAfterMain = File.Exists(peakFile);
                Terminate(p);
            }
        }
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"rglens {string.Join(' ', args)} did not end within {(timeout ?? TimeSpan.FromSeconds(120)).TotalSeconds} s");
        }
        p.WaitForExit();
        long? peak = null;
        if (File.Exists(peakFile))
        {
            string text = File.ReadAllText(peakFile).Trim();
            File.Delete(peakFile);
            if (text.EndsWith(" kB", StringComparison.Ordinal) && long.TryParse(text[..^3], out long kb)) peak = kb;
        }
        return new ProcessResult(p.ExitCode, output.Result, error.Result, peak, clock.Elapsed, mainAfter, signalledAfterMain);
    }

    /// <summary>Asserts exit code 2 and exactly one stderr line starting <c>rglens: error: </c>, no stack trace.</summary>
    public static void AssertOneLineError(int exitCode, string stderr, string? fragment = null, string? context = null)
    {
        Assert.True(exitCode == 2, $"{context}: exit {exitCode}; stderr: {stderr}");
        string line = stderr.TrimEnd('\n', '\r');
        Assert.False(line.Contains('\n'), $"{context}: more than one line on stderr: {stderr}");
        Assert.True(line.StartsWith("rglens: error: ", StringComparison.Ordinal), $"{context}: {stderr}");
        Assert.DoesNotContain("   at ", stderr);
        if (fragment is not null) Assert.Contains(fragment, line);
    }
}
