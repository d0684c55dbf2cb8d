using RgLens.Cli.Infrastructure;

namespace RgLens.Cli;

/// <summary>The <c>rglens</c> executable: a thin shell over the RgLens library.</summary>
public static class Program
{
    /// <summary>
    /// Names a file that the process creates (holding "running") as soon as its signal handlers
    /// are installed, and overwrites with its peak resident memory (Linux's VmHWM, e.g. "52344 kB")
    /// when it exits: how the test suite times signals after Main and checks the memory bounds of
    /// docs/reliability.md.
    /// </summary>
    public const string PeakMemoryVariable = "RGLENS_PEAK_MEMORY_FILE";

    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        // First of all: from here on Ctrl+C and SIGTERM end the run with 130 (docs/reliability.md,
        // "Signals"). Before this line only the runtime's own start-up can be hit.
        using var signals = Interruption.Install();
        if (Environment.GetEnvironmentVariable(PeakMemoryVariable) is { Length: > 0 } peakFile)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => WritePeakMemory(peakFile);
            TryWrite(peakFile, "running\n");
        }
        return CliApp.Run(args, Console.Out, Console.Error, signals);
    }

    /// <summary>Writes the VmHWM line of /proc/self/status (nothing where there is none).</summary>
    private static void WritePeakMemory(string file)
    {
        try
        {
            if (File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } line)
                TryWrite(file, line.Split(':', StringSplitOptions.TrimEntries)[1] + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a diagnostic only
        }
    }

    private static void TryWrite(string file, string text)
    {
        try
        {
            File.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a diagnostic only
        }
    }
}
