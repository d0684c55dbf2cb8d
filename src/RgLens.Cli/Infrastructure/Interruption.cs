using System.Runtime.InteropServices;
using RgLens.IO;

namespace RgLens.Cli.Infrastructure;

/// <summary>
/// Ctrl+C and SIGTERM for one run (docs/reliability.md, "Signals"): the first signal cancels
/// <see cref="Token"/>, which every long computation checks; work without a cancellation point is
/// ended by a watchdog after <see cref="GracePeriod"/> (pending atomic files removed, exit 130).
/// <see cref="Program.Main"/> installs it before anything else, so that the window in which a
/// signal still kills the process unhandled is the runtime's own start-up before Main.
/// This type deliberately references nothing heavier than the runtime and <see cref="AtomicFile"/>,
/// so that installing it loads no other assembly.
/// </summary>
public sealed class Interruption : IDisposable
{
    /// <summary>How long a signalled run may take to reach a cancellation point before it is ended (exit 130).</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>What an interrupted run says (after <c>rglens: </c>).</summary>
    public const string Message = "interrupted; no partial output was kept";

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private readonly object _gate = new();
    private Timer? _watchdog;
    private volatile TextWriter? _error;

    private Interruption()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Registers the handlers for SIGINT and SIGTERM.</summary>
    public static Interruption Install() => new();

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Whether a signal has arrived.</summary>
    public bool Requested => _cancel.IsCancellationRequested;

    /// <summary>Where the watchdog writes its one line (stderr of the run); nothing is written while unset.</summary>
    public TextWriter? Error
    {
        get => _error;
        set => _error = value;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return; // the run is over
        }
        lock (_gate) _watchdog ??= new Timer(_ => EndNow(), null, GracePeriod, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ends the process as interrupted: pending output removed, one line, exit 130.</summary>
    private void EndNow()
    {
        AtomicFile.DeleteAllPending();
        try
        {
            _error?.WriteLine($"rglens: {Message}.");
            _error?.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // stderr is gone: the exit code still says it
        }
        Environment.Exit(ExitCodes.Cancelled);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        lock (_gate) _watchdog?.Dispose();
        _cancel.Dispose();
    }
}
