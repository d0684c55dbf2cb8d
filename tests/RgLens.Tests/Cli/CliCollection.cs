namespace RgLens.Tests.Cli;

/// <summary>
/// The in-process CLI runs (and the IO tests that write files) share the process's pending atomic files: a failing command deletes
/// every pending partial file (as a real one-command process should), so CLI tests must not run in
/// parallel with each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
