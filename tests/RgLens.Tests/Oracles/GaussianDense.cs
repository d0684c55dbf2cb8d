using MathNet.Numerics.LinearAlgebra;
using RgLens.Models;

namespace RgLens.Tests.Oracles;

/// <summary>
/// The Gaussian chain as a dense N × N precision matrix Q (a on the diagonal, −K for every bond,
/// a ring's N = 2 bond counted twice): the independent oracle for the closed forms. ln Z from
/// ln det Q (LU), means Q⁻¹h and covariances Q⁻¹ by MathNet's dense solvers.
/// </summary>
internal sealed class GaussianDense
{
    public GaussianDense(GaussianParameters p, int n, Boundary boundary)
    {
        var q = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++) q[i, i] = p.Precision;
        int bonds = boundary == Boundary.Periodic ? n : n - 1;
        for (int i = 0; i < bonds; i++)
        {
            int j = (i + 1) % n;
            q[i, j] -= p.Coupling;
            q[j, i] -= p.Coupling;
        }
        Precision = q;
        Covariance = q.Inverse();
        Mean = Covariance * Vector<double>.Build.Dense(n, p.Field);
        LogZ = 0.5 * n * Math.Log(2 * Math.PI) - 0.5 * Math.Log(q.LU().Determinant) + 0.5 * p.Field * Mean.Sum();
    }

    public Matrix<double> Precision { get; }

    public Matrix<double> Covariance { get; }

    public Vector<double> Mean { get; }

    public double LogZ { get; }

    /// <summary>⟨x_i x_j⟩, 1-based.</summary>
    public double Moment(int i, int j) => Covariance[i - 1, j - 1] + Mean[i - 1] * Mean[j - 1];
}
