using System.Diagnostics;
using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Renormalization;

namespace RgLens.Tests.Exact;

/// <summary>
/// Memory and cancellation of the grid path (docs/reliability.md, "Memory" and "Signals"):
/// kernels above <see cref="GridKernel.DenseLimit"/> points are applied row by row, a spectrum is
/// refused before allocation when its matrices cannot fit, and long grid work stops on the run's
/// cancellation.
/// </summary>
public class GridMemoryTests
{
    private static readonly Phi4Parameters Theta = new(-1, 0.5, 0.4, 0);

    [Fact]
    public void AKernelAppliedRowByRowEqualsTheStoredMatrix()
    {
        // Just above the limit: the first product forms rows as it goes, the second uses the matrix.
        var grid = QuadratureGrid.Uniform(GridCoordinate.Linear, -4, 4, GridKernel.DenseLimit + 2);
        var kernel = new GridKernel(Theta, grid);
        int n = kernel.Size;
        var v = Enumerable.Range(0, n).Select(i => Math.Sin(0.01 * i) + 1.5).ToArray();
        var rowByRow = new double[n];
        kernel.Multiply(v, rowByRow);
        double[] matrix = kernel.Matrix;
        var stored = new double[n];
        kernel.Multiply(v, stored);
        Assert.Equal(n * (long)n, matrix.LongLength);
        // The two differ only in summation order: 1e-12 relative.
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(rowByRow[i] - stored[i]) <= 1e-12 * Math.Abs(stored[i]), $"row {i}: {rowByRow[i]} vs {stored[i]}");
        // The shift found without the matrix is the one the matrix was built with: its largest entry is e^0.
        Assert.Equal(1.0, matrix.Max(), 12);
    }

    [Fact]
    public void ASpectrumThatCannotFitIsRefusedBeforeAllocating()
    {
        // 40000 points: 3 matrices of 1.6e9 doubles, 38.4 GB. Each fits one array; the memory decides.
        const int points = 40000;
        double bytes = GridSpectrum.PeakMatrices * 8.0 * points * points;
        long before = GC.GetAllocatedBytesForCurrentThread();
        if (bytes > MemoryBudget.AvailableBytes)
        {
            var e = Assert.Throws<RgLensException>(() => GridSpectrum.RequireMemory(points));
            Assert.Contains("the exact spectrum on a 40000-point grid (3 matrices of 40000 x 40000 doubles) needs at least 38.4 GB of memory", e.Message);
        }
        else GridSpectrum.RequireMemory(points); // a machine with more than 38.4 GB: it fits
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        var tooMany = Assert.Throws<RgLensException>(() => GridSpectrum.RequireMemory(50000));
        Assert.Contains("needs an array of 2.5E+09 elements", tooMany.Message);
    }
}

/// <summary>
/// How soon grid work stops once the run is cancelled (docs/reliability.md, "Signals"): timed, so
/// it runs alone (<see cref="SequentialCollection"/>).
/// </summary>
[Collection(SequentialCollection.Name)]
public class GridCancellationTests
{
    [Fact]
    public void AnRgFlowOnALargeGridStopsSoonAfterTheRunIsCancelled()
    {
        using var cancel = new CancellationTokenSource();
        using var scope = RunCancellation.Use(cancel.Token);
        // Cancelled from a thread of its own, not by CancelAfter's timer (whose callback runs on the
        // thread pool), and timed from the moment of the cancellation: a clean-clone CI run, with
        // tests running beside this one on 2 cores, saw the canceller wake late and the whole test
        // take 2.38 s although the flow stops within 25 ms of the cancellation when it runs alone.
        var clock = Stopwatch.StartNew();
        long cancelledAt = -1;
        var canceller = new Thread(() =>
        {
            Thread.Sleep(300);
            Interlocked.Exchange(ref cancelledAt, clock.ElapsedTicks);
            cancel.Cancel();
        }) { IsBackground = true };
        canceller.Start();
        // 2000 steps: far more work than 300 ms, so the run cannot finish before the cancellation
        // and must stop at one of its checks.
        // A θ0 no other test uses, so that no grid cache (GridSelector's) is warm for it.
        var theta = new Phi4Parameters(-1.0375, 0.5125, 0.4, 0);
        Assert.ThrowsAny<OperationCanceledException>(() => RgFlow.Run(theta, 2, 2000, new GridOptions { Points = 1025, MaxPoints = 2049 }));
        double after = (clock.ElapsedTicks - Interlocked.Read(ref cancelledAt)) / (double)Stopwatch.Frequency;
        // Checks come at least every ~100 ms of work; 1 s leaves room for a loaded machine.
        Assert.True(after < 1.0, $"stopped {after:F2} s after the cancellation");
    }
}
