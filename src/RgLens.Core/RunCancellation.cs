namespace RgLens;

/// <summary>
/// The cancellation of the current run (Ctrl+C, SIGTERM) for long library computations whose
/// public methods take no token: grid kernels, eigenvector bases, kernel powers, RG steps
/// (docs/reliability.md, "Signals"). The CLI sets it around every command; the loops that run
/// longer than ~100 ms call <see cref="ThrowIfRequested"/> once per row or iteration. The value
/// is per logical call (<see cref="AsyncLocal{T}"/>) and flows into tasks and parallel loops;
/// where nothing was set it is <see cref="CancellationToken.None"/>.
/// </summary>
public static class RunCancellation
{
    private static readonly AsyncLocal<CancellationToken> s_token = new();

    /// <summary>The token of the current run.</summary>
    public static CancellationToken Token => s_token.Value;

    /// <summary>Makes <paramref name="token"/> the current run's token until the result is disposed.</summary>
    public static IDisposable Use(CancellationToken token)
    {
        var previous = s_token.Value;
        s_token.Value = token;
        return new Restore(previous);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when the current run was cancelled.</summary>
    public static void ThrowIfRequested() => s_token.Value.ThrowIfCancellationRequested();

    private sealed class Restore(CancellationToken previous) : IDisposable
    {
        public void Dispose() => s_token.Value = previous;
    }
}
