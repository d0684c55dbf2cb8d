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

    /// <summary>
    /// Set by the <c>rglens</c> launcher script to its own process id: it stays the parent of the
    /// tool and passes signals on. The tool then asks the kernel for SIGTERM should the launcher
    /// die (even by SIGKILL), and ends at once if the launcher is already gone.
    /// </summary>
    public const string LauncherVariable = "RGLENS_LAUNCHER_PID";

    /// <summary>
    /// Set by the launcher to a file it creates when a signal reaches it, before it passes the
    /// signal on. A signal passed on between the launcher's fork and the tool's exec is lost (the
    /// forked shell catches it, then execs), so the tool looks for the file once its handlers are in place.
    /// </summary>
    public const string SignalFileVariable = "RGLENS_SIGNAL_FILE";

    /// <summary>Registers the handlers for SIGINT and SIGTERM, then follows the launcher (<see cref="LauncherVariable"/>) if there is one.</summary>
    public static Interruption Install()
    {
        var interruption = new Interruption();
        interruption.FollowLauncher();
        return interruption;
    }

    private void FollowLauncher()
    {
        string? pid = Environment.GetEnvironmentVariable(LauncherVariable), signalFile = Environment.GetEnvironmentVariable(SignalFileVariable);
        // Not passed on to the processes this one starts (their parent is not the launcher).
        Environment.SetEnvironmentVariable(LauncherVariable, null);
        Environment.SetEnvironmentVariable(SignalFileVariable, null);
        if (!int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int launcher)) return;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = SetParentDeathSignal(PrSetParentDeathSignal, SigTerm, 0, 0, 0);
                if (ParentProcessId() != launcher) Request(); // the launcher died before the request took effect
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // no prctl: the launcher's own forwarding still covers every signal but SIGKILL
            }
        }
        if (signalFile is { Length: > 0 } && File.Exists(signalFile)) Request();
    }

    private const int PrSetParentDeathSignal = 1, SigTerm = 15;

    [DllImport("libc", EntryPoint = "prctl")]
    private static extern int SetParentDeathSignal(int option, nuint signal, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int ParentProcessId();

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
        Request();
    }

    /// <summary>Ends the run as a signal does: the token is cancelled, and the watchdog ends the process if the run does not stop in time.</summary>
    public void Request()
    {
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
