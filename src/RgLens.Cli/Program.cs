using RgLens.Cli.Infrastructure;

namespace RgLens.Cli;

/// <summary>The <c>rglens</c> executable: a thin shell over the RgLens library.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        // First of all: from here on Ctrl+C and SIGTERM end the run with 130 (docs/reliability.md,
        // "Signals"). Before this line only the runtime's own start-up can be hit.
        using var signals = Interruption.Install();
        return CliApp.Run(args, Console.Out, Console.Error, signals);
    }
}
