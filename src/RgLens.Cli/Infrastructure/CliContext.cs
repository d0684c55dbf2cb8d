using System.CommandLine;
using Spectre.Console;

namespace RgLens.Cli.Infrastructure;

/// <summary>
/// What a command needs from its surroundings: the writers for results and diagnostics, a
/// Spectre console over the result writer for tables and progress, the cancellation token of
/// Ctrl+C / SIGTERM, and the raw arguments for manifests.
/// </summary>
public sealed class CliContext
{
    /// <summary>Creates the context.</summary>
    public CliContext(TextWriter output, TextWriter error, IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        Output = output;
        Error = error;
        Arguments = arguments;
        Cancellation = cancellation;
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        IsTerminal = terminal;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output has no width; wide tables are easier to read unwrapped in a log.
        if (!terminal) Console.Profile.Width = 200;
    }

    /// <summary>Results (JSON, tables).</summary>
    public TextWriter Output { get; }

    /// <summary>Diagnostics and progress lines.</summary>
    public TextWriter Error { get; }

    /// <summary>The command line as given.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Set by Ctrl+C or SIGTERM.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Whether results go to an interactive terminal (progress bars only then).</summary>
    public bool IsTerminal { get; }

    /// <summary>A Spectre console writing to <see cref="Output"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// Makes the run's files visible now (they otherwise appear when the command returns), so
    /// that the summary printed next, which names them, is never followed by an interruption that
    /// removes them. Nothing may be written after it.
    /// </summary>
    public void Publish() => RgLens.IO.OutputSet.Current?.Commit();

    /// <summary>The full command line for a manifest, e.g. <c>rglens sample --K 0.7 …</c>.</summary>
    public string CommandLine => "rglens " + string.Join(' ', Arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}
