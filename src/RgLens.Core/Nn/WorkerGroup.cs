using System.Diagnostics;

namespace RgLens.Nn;

/// <summary>
/// A fixed team of threads for the training step: <see cref="Run"/> runs body(0) on the caller and
/// body(1 … T−1) on dedicated workers, and returns when all are done. Workers spin briefly
/// between calls (a step of a small network takes tens of microseconds, far less than a thread
/// wake-up) and then sleep, so an idle team costs nothing. Which thread runs which index is
/// fixed, so the work split, and therefore the result, never depends on timing.
/// </summary>
internal sealed class WorkerGroup : IDisposable
{
    /// <summary>How long an idle worker spins before it sleeps: longer than the serial gap between two steps, far shorter than a human notices.</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 500;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private Action<int>? _body;
    private long _generation;
    private int _pending;
    private int _sleepers;
    private volatile bool _disposed;
    private Exception? _error;

    public WorkerGroup(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Count = threads;
        _threads = new Thread[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            int index = i + 1;
            _threads[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"rglens-nn-{index}" };
            _threads[i].Start();
        }
    }

    /// <summary>T, the number of indices each <see cref="Run"/> covers.</summary>
    public int Count { get; }

    /// <summary>Runs body(i) for i = 0 … T−1 (0 on the calling thread) and waits for all; rethrows a worker's exception.</summary>
    public void Run(Action<int> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Count == 1)
        {
            body(0);
            return;
        }
        _body = body;
        _error = null;
        Volatile.Write(ref _pending, Count - 1);
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) > 0)
            lock (_gate) Monitor.PulseAll(_gate);
        Exception? own = null;
        try
        {
            body(0);
        }
        catch (Exception e)
        {
            own = e;
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
        if (own is not null) throw own;
        if (_error is { } error) throw new AggregateException(error);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Interlocked.Increment(ref _generation);
        lock (_gate) Monitor.PulseAll(_gate);
        foreach (var t in _threads) t.Join();
    }

    private void Work(int index)
    {
        long seen = 0;
        while (true)
        {
            seen = WaitForWork(seen);
            if (_disposed) return;
            try
            {
                _body!(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    private long WaitForWork(long seen)
    {
        long start = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (Volatile.Read(ref _generation) == seen)
        {
            if (Stopwatch.GetTimestamp() - start < s_spinTicks)
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            lock (_gate)
            {
                Interlocked.Increment(ref _sleepers);
                while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_gate);
                Interlocked.Decrement(ref _sleepers);
            }
        }
        return Volatile.Read(ref _generation);
    }
}
