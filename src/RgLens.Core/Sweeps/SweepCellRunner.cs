using System.Diagnostics;
using RgLens.Experiments;

namespace RgLens.Sweeps;

/// <summary>Runs one cell: the correspondence experiment of its configuration, reduced to its claims' rows.</summary>
public static class SweepCellRunner
{
    /// <summary>Runs <paramref name="cell"/> with <paramref name="threads"/> threads and writes its file; a failure is recorded, not thrown (cancellation is thrown).</summary>
    public static SweepCellResult Run(SweepCell cell, SweepFolder folder, int threads, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        SweepCellResult result;
        try
        {
            var r = CorrespondenceExperiment.Run(cell.Config with { Threads = Math.Max(1, threads) }, null, cancellation);
            result = new SweepCellResult("ok", "", clock.Elapsed.TotalSeconds, SweepRow.FromClaims(cell, r.Claims));
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            string message = e is RgLensException or ArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            message = message.ReplaceLineEndings(" ");
            result = new SweepCellResult("failed", message, clock.Elapsed.TotalSeconds, [SweepRow.Failed(cell, message)]);
        }
        folder.Write(cell, result);
        return result;
    }
}
