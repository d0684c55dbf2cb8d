namespace RgLens.Cli.Infrastructure;

/// <summary>A command-line usage error found after parsing (e.g. an option that does not apply to the chosen model).</summary>
public sealed class UsageException(string message) : RgLensException(message);
