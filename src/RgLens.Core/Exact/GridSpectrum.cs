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
    public static TransferSpectrum Build(ChainParameters p, QuadratureGrid grid)
    {
        var kernel = new GridKernel(p, grid);
        int n = kernel.Size;
        var evd = Matrix<double>.Build.DenseOfRowMajor(n, n, kernel.Matrix).Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var vectors = evd.EigenVectors;
        int top = 0;
        for (int k = 1; k < n; k++) if (values[k] > values[top]) top = k;
        var order = Enumerable.Range(0, n).Where(k => k != top).OrderByDescending(k => Math.Abs(values[k])).Prepend(top).ToArray();
        double lambda0 = values[top];
        var logAbs = new double[n];
        var sign = new int[n];
        var v = new double[n, n];
        for (int c = 0; c < n; c++)
        {
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
        double scale = kernel.LogU.Max();
        var boundary = kernel.LogU.Select(l => Math.Exp(l - scale)).ToArray();
        return new TransferSpectrum(grid.Nodes, Math.Log(lambda0) + kernel.Shift, logAbs, sign, v, boundary, scale);
    }
}
