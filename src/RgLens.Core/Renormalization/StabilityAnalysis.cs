using MathNet.Numerics.LinearAlgebra;
using RgLens.Models;

namespace RgLens.Renormalization;

/// <summary>
/// Linear stability of R_b at a point (docs/theory.md, "Decimation and its fixed points"): the Jacobian ∂R_b(θ)/∂θ in the family's
/// user-facing coordinates by central differences, and its eigenmodes (MathNet's eigensolver).
/// </summary>
public static class StabilityAnalysis
{
    /// <summary>Relative step of the central differences; the truncation error is O(step²) ≈ 1e-10.</summary>
    public const double Step = 1e-5;

    /// <summary>
    /// J_ij = ∂(R_b θ)_i / ∂θ_j at <paramref name="theta"/>: central differences, or the one-sided
    /// three-point formula (also second-order) where one side leaves the family's domain (e.g. K = 0
    /// of the Poisson and Gamma chains, which need K ≤ 0).
    /// </summary>
    public static double[,] Jacobian(DecimationMap map, ChainParameters theta, int scaleFactor)
    {
        double[] x = theta.Values();
        int n = x.Length;
        var family = theta.Family;
        var j = new double[n, n];
        double[] Image(double[] at) => map.Step(family.Create(at), scaleFactor).Parameters.Values();
        double[] Shifted(int c, double by)
        {
            var y = (double[])x.Clone();
            y[c] += by;
            return y;
        }
        for (int c = 0; c < n; c++)
        {
            double h = Step * Math.Max(1.0, Math.Abs(x[c]));
            bool plus = family.TryCreate(Shifted(c, h)) is not null, minus = family.TryCreate(Shifted(c, -h)) is not null;
            double[] column;
            if (plus && minus)
            {
                double[] fp = Image(Shifted(c, h)), fm = Image(Shifted(c, -h));
                column = fp.Select((v, r) => (v - fm[r]) / (2 * h)).ToArray();
            }
            else
            {
                double s = plus ? 1 : -1; // the side that stays in the domain
                double[] f0 = Image(x), f1 = Image(Shifted(c, s * h)), f2 = Image(Shifted(c, 2 * s * h));
                column = f0.Select((v, r) => s * (-3 * v + 4 * f1[r] - f2[r]) / (2 * h)).ToArray();
            }
            for (int r = 0; r < n; r++) j[r, c] = column[r];
        }
        return j;
    }

    /// <summary>The stability report of the fixed point <paramref name="fixedPoint"/> of R_b.</summary>
    public static FixedPointReport AtFixedPoint(DecimationMap map, ChainParameters fixedPoint, int scaleFactor)
    {
        var names = fixedPoint.Family.Parameters.Select(p => p.Name).ToArray();
        var modes = Eigenmodes(Jacobian(map, fixedPoint, scaleFactor));
        return FixedPointReport.Classify(names, fixedPoint.Values(), modes, names);
    }

    /// <summary>Eigenvalues (real parts) of a square matrix with unit right eigenvectors, largest component positive.</summary>
    public static IReadOnlyList<(double Eigenvalue, double[] Eigenvector)> Eigenmodes(double[,] matrix)
    {
        var evd = Matrix<double>.Build.DenseOfArray(matrix).Evd();
        var result = new List<(double, double[])>();
        for (int k = 0; k < evd.EigenValues.Count; k++)
        {
            var v = evd.EigenVectors.Column(k).Normalize(2);
            if (v[v.AbsoluteMaximumIndex()] < 0) v = -v;
            result.Add((evd.EigenValues[k].Real, v.ToArray()));
        }
        return result;
    }
}
