using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Exact;

/// <summary>
/// The full <see cref="TransferSpectrum"/> of θ on a grid (docs/theory.md, "Transfer matrices and exact oracles" and "Decimation and its fixed points"): the eigen-decomposition
/// of the symmetric kernel matrix of <see cref="GridKernel"/> (<see cref="SymmetricEigen"/>, in place),
/// the Perron pair first and the rest by decreasing |λ|, with the open-chain end vector b = u.
/// Every finite-chain quantity of <see cref="SpectralChain"/> then follows. Cost O(n³).
/// </summary>
internal static class GridSpectrum
{
    /// <summary>
    /// The most n × n matrices of doubles alive at once while a spectrum is built and used: the
    /// kernel, which the decomposition turns into the eigenvectors in place, and their ordered
    /// copy; later the ordered eigenvectors and the two site operators (x and x²) of the exact solution.
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
        // Matrices of 100s of MB each on a large grid: reclaim what earlier work dropped (the
        // kernels of the grid's accuracy checks) before the kernel is allocated, and the kernel's
        // array (the unordered eigenvectors, dead with Ordered's frame) before the caller forms
        // its site operators, so that at most PeakMatrices matrices are held. (exact --grid 1025,
        // VmHWM: 135 MB with the second collection only, 123 MB with the first only, 98 MB with both.)
        bool large = grid.Count >= 1024;
        if (large) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        var spectrum = Ordered(p, grid);
        if (large) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        return spectrum;
    }

    /// <summary>The spectrum from <see cref="Decompose"/>: the Perron pair first (its vector made positive), the rest by decreasing |λ|.</summary>
    private static TransferSpectrum Ordered(ChainParameters p, QuadratureGrid grid)
    {
        var (values, vectors, logU, shift) = Decompose(p, grid);
        int n = values.Length;
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
                for (int j = 0; j < n; j++) sum += vectors[k * n + j];
                flip = sum < 0 ? -1 : 1;
            }
            for (int j = 0; j < n; j++) v[j, c] = flip * vectors[k * n + j];
        }
        logAbs[0] = 0;
        double scale = logU.Max();
        var boundary = logU.Select(l => Math.Exp(l - scale)).ToArray();
        return new TransferSpectrum(grid.Nodes, Math.Log(lambda0) + shift, logAbs, sign, v, boundary, scale);
    }

    /// <summary>
    /// The eigenvalues (ascending) and eigenvectors of the kernel: row k of the returned array
    /// (the kernel's own, overwritten in place) is the unit eigenvector of eigenvalue k.
    /// </summary>
    private static (double[] Values, double[] Vectors, double[] LogU, double Shift) Decompose(ChainParameters p, QuadratureGrid grid)
    {
        var kernel = new GridKernel(p, grid);
        int n = kernel.Size;
        double[] a = kernel.Matrix;
        // Checks the run's cancellation every few rows of its O(n³) loops (docs/reliability.md, "Signals").
        double[] values = SymmetricEigen.Decompose(a, n);
        return (values, a, kernel.LogU, kernel.Shift);
    }
}
