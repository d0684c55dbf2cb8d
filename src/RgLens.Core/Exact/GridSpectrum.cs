using MathNet.Numerics.LinearAlgebra;
using RgLens.Models;

namespace RgLens.Exact;

/// <summary>
/// The full <see cref="TransferSpectrum"/> of θ on a grid (docs/theory.md, "Transfer matrices and exact oracles" and "Decimation and its fixed points"): the eigen-decomposition
/// of the symmetric kernel matrix of <see cref="GridKernel"/> (MathNet's symmetric eigensolver),
/// the Perron pair first and the rest by decreasing |λ|, with the open-chain end vector b = u.
/// Every finite-chain quantity of <see cref="SpectralChain"/> then follows. Cost O(n³).
/// </summary>
internal static class GridSpectrum
{
    /// <summary>
    /// The most n × n matrices of doubles alive at once while a spectrum is built and used: the
    /// kernel, MathNet's eigenvectors and its block-diagonal D during the decomposition; later the
    /// ordered eigenvectors and the two site operators (x and x²) of the exact solution.
    /// </summary>
    internal const int PeakMatrices = 3;

    /// <summary>Refuses, before anything is allocated, a grid whose spectrum does not fit the memory (<see cref="PeakMatrices"/> n × n doubles).</summary>
    /// <exception cref="RgLensException">It does not fit.</exception>
    public static void RequireMemory(int points) =>
        Data.MemoryBudget.Require($"the exact spectrum on a {points}-point grid ({PeakMatrices} matrices of {points} x {points} doubles)",
            PeakMatrices * 8.0 * points * points, (double)points * points);

    public static TransferSpectrum Build(ChainParameters p, QuadratureGrid grid)
    {
        RequireMemory(grid.Count);
        var (values, vectors, logU, shift) = Decompose(p, grid);
        int n = values.Length;
        // The kernel and D were dropped with Decompose's frame; reclaim them before the ordered
        // copy is allocated, so that at most PeakMatrices matrices are held (100s of MB each on a large grid).
        if (n >= 1024) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        int top = 0;
        for (int k = 1; k < n; k++) if (values[k] > values[top]) top = k;
        var order = Enumerable.Range(0, n).Where(k => k != top).OrderByDescending(k => Math.Abs(values[k])).Prepend(top).ToArray();
        double lambda0 = values[top];
        var logAbs = new double[n];
        var sign = new int[n];
        var v = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            if ((c & 63) == 0) RunCancellation.ThrowIfRequested();
            int k = order[c];
            double ratio = values[k] / lambda0;
            sign[c] = Math.Sign(ratio);
            logAbs[c] = ratio == 0 ? double.NegativeInfinity : Math.Log(Math.Abs(ratio));
            double flip = 1;
            if (c == 0)
            {
                double sum = 0;
                for (int j = 0; j < n; j++) sum += vectors[j, k];
                flip = sum < 0 ? -1 : 1;
            }
            for (int j = 0; j < n; j++) v[j, c] = flip * vectors[j, k];
        }
        logAbs[0] = 0;
        double scale = logU.Max();
        var boundary = logU.Select(l => Math.Exp(l - scale)).ToArray();
        return new TransferSpectrum(grid.Nodes, Math.Log(lambda0) + shift, logAbs, sign, v, boundary, scale);
    }

    /// <summary>The eigenvalues and eigenvectors of the kernel; the kernel and MathNet's D live only in this frame.</summary>
    private static (double[] Values, Matrix<double> Vectors, double[] LogU, double Shift) Decompose(ChainParameters p, QuadratureGrid grid)
    {
        var kernel = new GridKernel(p, grid);
        int n = kernel.Size;
        // The kernel is symmetric, so its row-major array is also its column-major storage:
        // MathNet takes it as it is, without a copy.
        RunCancellation.ThrowIfRequested();
        // MathNet's decomposition has no cancellation point: O(n³), ~5 s at n = 1025 here; the
        // CLI's signal watchdog ends a run stuck in it (docs/reliability.md, "Signals").
        var evd = Matrix<double>.Build.Dense(n, n, kernel.Matrix).Evd(Symmetricity.Symmetric);
        RunCancellation.ThrowIfRequested();
        return (evd.EigenValues.Select(c => c.Real).ToArray(), evd.EigenVectors, kernel.LogU, kernel.Shift);
    }
}
