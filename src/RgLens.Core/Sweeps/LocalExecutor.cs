using System.Diagnostics;

namespace RgLens.Sweeps;

/// <summary>
/// Runs the cells that have no finished file on this machine, several at once (one core each
/// when there are more cells than cores), so that a killed sweep rerun with the same command
/// continues where it stopped. Results do not depend on the thread count.
/// </summary>
public static class LocalExecutor
{
    /// <summary>
    /// Runs every pending cell; returns the seconds spent inside the cells' experiments and the
    /// seconds of bookkeeping around them (finding pending cells, writing cell files), both summed over cells.
    /// </summary>
    public static (double CellSeconds, double OverheadSeconds) Run(IReadOnlyList<SweepCell> cells, SweepFolder folder, int threads, Action<SweepProgress>? progress = null, CancellationToken cancellation = default)
    {
        var scan = Stopwatch.StartNew();
        var pending = cells.Where(c => !folder.IsDone(c)).ToArray();
        double overhead = scan.Elapsed.TotalSeconds;
        int done = cells.Count - pending.Length, failed = 0;
        double inside = 0;
        var clock = Stopwatch.StartNew();
        int started = done;
        progress?.Invoke(new SweepProgress(done, 0, pending.Length, null));
        int parallel = Math.Max(1, Math.Min(threads, pending.Length));
        int perCell = Math.Max(1, threads / parallel);
        var gate = new object();
        Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellation }, cell =>
        {
            var one = Stopwatch.StartNew();
            var r = SweepCellRunner.Run(cell, folder, perCell, cancellation);
            double total = one.Elapsed.TotalSeconds;
            lock (gate)
            {
                overhead += Math.Max(0, total - r.Seconds);
                done++;
                if (r.Status != "ok") failed++;
                inside += r.Seconds;
                int remaining = cells.Count - done;
                double rate = clock.Elapsed.TotalSeconds / (done - started);
                progress?.Invoke(new SweepProgress(done, failed, remaining, TimeSpan.FromSeconds(rate * remaining)));
            }
        });
        return (inside, overhead);
    }
}
