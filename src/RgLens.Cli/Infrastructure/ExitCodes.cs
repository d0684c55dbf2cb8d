namespace RgLens.Cli.Infrastructure;

/// <summary>Exit codes of <c>rglens</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected internal failure (a bug: please report it).</summary>
    public const int InternalError = 1;

    /// <summary>Bad usage or bad input: unknown option, out-of-domain parameter, malformed file, unwritable path.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C or SIGTERM; no partial output is left behind.</summary>
    public const int Cancelled = 130;
}
