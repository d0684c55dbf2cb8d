namespace RgLens.Numerics;

/// <summary>
/// Threads of a schedule that have run out of work, lent to the jobs still running. The probe's
/// readings run side by side, each on its share of the threads; once the short ones are done,
/// the threads they ran on would idle while the longest reading finishes on its share alone
/// (on 2 cores the continuous reading of wide layers was the last to finish by several seconds).
/// A job asks <see cref="Now(int)"/> before each parallel step and takes what is free then. The
/// results never depend on it: every parallel step it is used for gives the same bits on any
/// number of threads.
/// </summary>
public sealed class SpareThreads
{
    private readonly int _total;
    private int _idle;

    /// <param name="total">Threads of the whole schedule: no job is given more.</param>
    public SpareThreads(int total) => _total = Math.Max(1, total);

    /// <summary>Threads that have finished their work so far.</summary>
    public int Idle => Volatile.Read(ref _idle);

    /// <summary>Called by a thread of the schedule that found no more work.</summary>
    public void Release() => Interlocked.Increment(ref _idle);

    /// <summary>A job's own <paramref name="share"/> plus the idle threads, at most the schedule's total.</summary>
    public int Now(int share) => Math.Clamp(share + Idle, 1, _total);

    /// <summary><see cref="Now(int)"/> of <paramref name="spare"/>, or <paramref name="share"/> when there is none.</summary>
    public static int For(SpareThreads? spare, int share) => spare?.Now(share) ?? Math.Max(1, share);
}
