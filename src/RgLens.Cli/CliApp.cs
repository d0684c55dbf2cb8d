using System.CommandLine;
using RgLens.Cli.Commands;
using RgLens.Cli.Infrastructure;
using RgLens.IO;

namespace RgLens.Cli;

/// <summary>
/// Builds the <c>rglens</c> command tree and runs it. Every failure a user can cause (bad
/// option, out-of-domain parameter, malformed file, unwritable path) becomes one line on standard
/// error and exit code 2; Ctrl+C and SIGTERM cancel cleanly (exit 130) and leave no partial files.
/// </summary>
public static class CliApp
{
    /// <summary>The subcommands, in the order the help lists them.</summary>
    internal static IReadOnlyList<ICliCommand> Commands { get; } =
    [
        new ExactCommand(),
        new SampleCommand(),
        new RgCommand(),
        new FitCommand(),
        new TrainCommand(),
        new CorrespondCommand(),
        new SweepCommand(),
        new EvalCommand(),
        new ProbeCommand(),
        new ExportCommand(),
        new BenchCommand(),
    ];

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        using var signals = Interruption.Install();
        return Run(args, output, error, signals);
    }

    /// <summary>Parses and runs <paramref name="args"/> under signal handling installed earlier (<see cref="Program.Main"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Interruption signals)
    {
        // Each command's files clean up after themselves (AtomicFile disposal); what a hung or
        // aborted thread leaves behind goes at process exit. Never per command: in-process callers
        // (tests, hosts) may have other atomic writes pending.
        AppDomain.CurrentDomain.ProcessExit -= DeletePendingOnExit;
        AppDomain.CurrentDomain.ProcessExit += DeletePendingOnExit;
        signals.Error = error;
        CliContext Context() => new(output, error, args, signals.Token);

        var root = new RootCommand("RgLens: the renormalization-group theory of deep learning, computable.");
        foreach (var c in Commands) root.Subcommands.Add(c.Build(Context));
        NumericOptions.ApplyTo(root);

        ParseResult parsed = root.Parse(args);
        bool json = args.Contains("--json");
        string command = CommandPath(parsed.CommandResult) is var path && path.StartsWith("rglens ", StringComparison.Ordinal) ? path["rglens ".Length..] : "";
        // Under --json an error is one JSON object on one line (the envelope with an "error" field); else one text line.
        int Fail(string text, string message, int code)
        {
            error.WriteLine(json ? Infrastructure.CliJson.Error(command, message, code) : text);
            return code;
        }
        if (parsed.Errors.Count > 0)
        {
            string where = $"{CommandPath(parsed.CommandResult)} --help";
            // Unrecognized tokens first (they name what the user typed), then everything else, on one line.
            var messages = parsed.Errors.Select(e => OneLine(e.Message)).Distinct()
                .OrderBy(m => m.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1).ToArray();
            return Fail($"rglens: error: {string.Join("; ", messages)} (see '{where}')", string.Join("; ", messages), ExitCodes.Usage);
        }
        int Interrupted() => Fail($"rglens: {Interruption.Message}.", Interruption.Message, ExitCodes.Cancelled);
        if (signals.Requested) return Interrupted();
        try
        {
            // The files of the run become visible together, and only when it succeeds
            // (docs/reliability.md, "Output files"); any other end removes them.
            using var outputs = OutputSet.Begin();
            // Library loops that take no token check this one (RunCancellation.ThrowIfRequested).
            using var cancellation = RunCancellation.Use(signals.Token);
            int code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            // A signal that arrived while a computation without cancellation points ran to its end
            // still ends the run as interrupted (130), not as a success.
            // A command that published its files (CliContext.Publish) before the summary naming
            // them has finished: a signal during that summary changes nothing.
            if (signals.Requested && code == ExitCodes.Ok && !outputs.IsCommitted)
            {
                return Interrupted();
            }
            if (code == ExitCodes.Ok) outputs.Commit();
            return code;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            return Interrupted();
        }
        catch (Exception e) when (Unwrap(e) is RgLensException or ArgumentException)
        {
            return Fail($"rglens: error: {FirstLine(Unwrap(e).Message)}", FirstLine(Unwrap(e).Message), ExitCodes.Usage);
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            error.WriteLine($"rglens: internal error: {inner.GetType().Name}: {FirstLine(inner.Message)} (please report; set RGLENS_DEBUG=1 for details)");
            if (Environment.GetEnvironmentVariable("RGLENS_DEBUG") == "1") error.WriteLine(inner);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// The full command line that names <paramref name="result"/>'s command, e.g. <c>rglens bench mlp</c>:
    /// a subcommand's own name alone (<c>rglens mlp</c>) is not a command.
    /// </summary>
    internal static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is System.CommandLine.Parsing.CommandResult c && c.Parent is not null) names.Add(c.Command.Name);
        names.Add("rglens");
        names.Reverse();
        return string.Join(' ', names);
    }

    private static void DeletePendingOnExit(object? sender, EventArgs e) => AtomicFile.DeleteAllPending();

    /// <summary>How long a signalled run may take to reach a cancellation point before it is ended (exit 130).</summary>
    internal static TimeSpan SignalGracePeriod => Interruption.GracePeriod;

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        return e;
    }

    /// <summary>Collapses a multi-line message (e.g. a list of allowed values) into one line.</summary>
    private static string OneLine(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"\s*[\r\n]+\s*", " ").Trim();

    private static string FirstLine(string message)
    {
        // ArgumentException appends " (Parameter 'x')" on its own line; keep one line.
        int nl = message.IndexOfAny(['\r', '\n']);
        string line = nl >= 0 ? message[..nl] : message;
        int param = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return param > 0 ? line[..param] : line;
    }
}
