using System.CommandLine;
using RgLens.Cli.Commands.Bench;
using RgLens.Cli.Infrastructure;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens bench</c>: end-to-end performance figures, always as JSON (<c>--json</c> is accepted and changes nothing).</summary>
public sealed class BenchCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var command = new Command("bench", "Benchmarks; they always print JSON.");
        // Every other command that can print JSON takes --json; bench accepts it too (on every
        // subcommand), so that scripts can pass it uniformly. JSON is bench's only format.
        command.Options.Add(new Option<bool>("--json") { Description = "Accepted for uniformity; bench always prints JSON.", Recursive = true });
        command.Subcommands.Add(new BenchSampleCommand().Build(context));
        command.Subcommands.Add(new BenchFitCommand().Build(context));
        command.Subcommands.Add(new BenchRgCommand().Build(context));
        command.Subcommands.Add(new BenchMlpCommand().Build(context));
        command.Subcommands.Add(new BenchConvCommand().Build(context));
        command.Subcommands.Add(new BenchProbeCommand().Build(context));
        return command;
    }
}
