using System.CommandLine;

namespace RgLens.Cli.Infrastructure;

/// <summary>One <c>rglens</c> subcommand: its parser definition and its action.</summary>
public interface ICliCommand
{
    /// <summary>Builds the System.CommandLine command whose action runs through <paramref name="context"/>.</summary>
    Command Build(Func<CliContext> context);
}
