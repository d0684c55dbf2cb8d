using MathNet.Numerics.LinearAlgebra;
using RgLens.Data;

namespace RgLens.Probes;

/// <summary>
/// Asymmetric pseudo-likelihood maximization for the all-pairs Ising model (Aurell and Ekeberg,
/// PRL 108, 090201, 2012): for each unit j a logistic regression of y_j on the other units,
/// maximizing Σ_r ln σ(2 y_j (h_j + Σ_k J_jk y_k)) − (λ n / 2) Σ_k J_jk², then J = (J_jk + J_kj)/2.
/// The small L2 penalty λ keeps the estimate finite when a unit is (nearly) a deterministic
/// function of the others, which network layers often produce. Newton's method on each concave
/// problem; the Hessian Σ_r w_r x_r x_rᵀ is formed with MathNet's matrix products.
/// </summary>
public static class PairwisePseudoLikelihood
{
    /// <summary>Default L2 penalty per sample: shrinks |J| by ~1e-3 relative at typical curvature, negligible beside sampling error.</summary>
    public const double DefaultRegularization = 1e-3;

    /// <summary>Fits the all-pairs model to ±1 data (samples × units).</summary>
    public static PairwiseIsingModel Fit(SampleMatrix<sbyte> y, double regularization = DefaultRegularization)
    {
        if (y.Rows < 2) throw new DataFormatException("an all-pairs fit needs at least 2 samples.");
        if (y.Columns < 2) throw new DataFormatException("an all-pairs fit needs at least 2 units.");
        ArgumentOutOfRangeException.ThrowIfNegative(regularization);
        int n = y.Rows, m = y.Columns;
        // Design matrix: column 0 is the constant (field), columns 1..m the units.
        var x = Matrix<double>.Build.Dense(n, m + 1, (r, c) => c == 0 ? 1.0 : y[r, c - 1]);
        var fields = new double[m];
        var raw = new double[m, m];
        for (int j = 0; j < m; j++)
        {
            var beta = FitUnit(x, y, j, regularization);
            fields[j] = beta[0];
            for (int k = 0; k < m; k++) raw[j, k] = k == j ? 0 : beta[k + 1];
        }
        var couplings = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int k = 0; k < m; k++) couplings[i, k] = i == k ? 0 : 0.5 * (raw[i, k] + raw[k, i]);
        return new PairwiseIsingModel(fields, couplings, regularization);
    }

    private static double[] FitUnit(Matrix<double> x, SampleMatrix<sbyte> y, int j, double lambda)
    {
        int n = x.RowCount, p = x.ColumnCount;
        var target = Vector<double>.Build.Dense(n, r => y[r, j]);
        var beta = Vector<double>.Build.Dense(p);
        // The unit's own column is excluded by pinning its coefficient to zero.
        var mask = Vector<double>.Build.Dense(p, c => c == j + 1 ? 0.0 : 1.0);
        for (int iter = 0; iter < 50; iter++)
        {
            var eta = x * beta;
            var w = Vector<double>.Build.Dense(n);
            for (int r = 0; r < n; r++)
            {
                // d/dη ln σ(2 y η) = 2 y σ(−2 y η); curvature 4 σ(2yη) σ(−2yη) = 1 − tanh² η.
                double t = Math.Tanh(eta[r]);
                w[r] = 1 - t * t;
                eta[r] = target[r] - t;
            }
            var grad = x.TransposeThisAndMultiply(eta).PointwiseMultiply(mask);
            for (int c = 1; c < p; c++) grad[c] -= lambda * n * beta[c];
            var hessian = x.TransposeThisAndMultiply(Matrix<double>.Build.Diagonal(w.ToArray()) * x);
            for (int c = 0; c < p; c++)
            {
                if (mask[c] == 0)
                {
                    hessian.ClearRow(c);
                    hessian.ClearColumn(c);
                    hessian[c, c] = 1;
                }
                else if (c > 0) hessian[c, c] += lambda * n;
                hessian[c, c] += 1e-12 * n; // keeps a constant unit's system solvable
            }
            var step = hessian.Cholesky().Solve(grad);
            beta += step;
            if (step.AbsoluteMaximum() < 1e-10) break;
        }
        return beta.ToArray();
    }
}
