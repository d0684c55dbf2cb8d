using System.CommandLine;
using RgLens.Cli.Commands.Bench;
using RgLens.Cli.Infrastructure;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens bench</c>: end-to-end performance figures as JSON (never timed unit tests).</summary>
public sealed class BenchCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var command = new Command("bench", "Benchmarks that print JSON; compare with the peers in ../shared/peers side by side.");
        command.Subcommands.Add(new BenchSampleCommand().Build(context));
        command.Subcommands.Add(new BenchFitCommand().Build(context));
        command.Subcommands.Add(new BenchRgCommand().Build(context));
        command.Subcommands.Add(new BenchMlpCommand().Build(context));
        command.Subcommands.Add(new BenchConvCommand().Build(context));
        return command;
    }
}
