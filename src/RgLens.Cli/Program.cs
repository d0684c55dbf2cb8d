namespace RgLens.Cli;

/// <summary>The <c>rglens</c> executable: a thin shell over the RgLens library.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
