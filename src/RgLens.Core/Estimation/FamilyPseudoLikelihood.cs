using RgLens.Data;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Estimation;

/// <summary>
/// Maximum pseudo-likelihood for any chain family (Besag 1975): the product over sites of the
/// conditional of x_i given its neighbours, the single-site member with natural parameters
/// η + K m_i e_lin (m_i the neighbour sum, e_lin the statistic T_j(x) = x):
/// PL(η, K) = Σ_i [ (η + K m_i e_lin)·T(x_i) − A(η + K m_i e_lin) ] (+ terms free of θ), concave,
/// with exact gradient and Hessian from <see cref="SiteConditional"/>. Per-sample scores feed the
/// estimating-function bootstrap (Hu and Kalbfleisch 2000).
/// </summary>
internal sealed class FamilyPseudoLikelihood
{
    private readonly ChainFamily _family;
    private readonly SiteConditional _conditional;
    private readonly double[] _t;       // T_k(x_i), site-major
    private readonly double[] _m;       // neighbour sums
    private readonly int _rows, _sites, _d;

    public FamilyPseudoLikelihood(ChainFamily family, SampleMatrix<double> data, Boundary boundary, SiteConditional conditional)
    {
        _family = family;
        _conditional = conditional;
        _rows = data.Rows;
        _sites = data.Columns;
        _d = family.StatisticCount;
        long total = (long)_rows * _sites;
        _t = new double[total * _d];
        _m = new double[total];
        var t = new double[_d];
        var cancellation = RunCancellation.Token;
        for (int r = 0; r < _rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            for (int i = 0; i < _sites; i++)
            {
                long s = (long)r * _sites + i;
                family.Statistics(row[i], t);
                t.CopyTo(_t.AsSpan((int)(s * _d), _d));
                _m[s] = GaussianChainStatistics.NeighbourSum(row, i, boundary);
            }
        }
    }

    /// <summary>Number of samples.</summary>
    public int RowCount => _rows;

    /// <summary>Sites per sample.</summary>
    public int SiteCount => _sites;

    /// <summary>Natural parameters (η, K) → PL per site; fills gradient and Hessian (dimension d + 1) per site, and optionally the per-row gradients.</summary>
    public double Evaluate(double[] z, double[]? gradient, double[]? hessian, double[]? rowScores = null)
    {
        int d = _d, dim = d + 1, lin = _family.LinearStatistic;
        double k = z[d];
        var eta = new double[d];
        var g = new double[d];
        var h = new double[d * d];
        double f = 0;
        if (gradient is not null) Array.Clear(gradient);
        if (hessian is not null) Array.Clear(hessian);
        if (rowScores is not null) Array.Clear(rowScores);
        // An evaluation visits every site of every sample (for φ⁴ a quadrature at each), so its time
        // grows with the data: the run's cancellation is looked at once per sample.
        var cancellation = RunCancellation.Token;
        for (int r = 0; r < _rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int i = 0; i < _sites; i++)
            {
                long s = (long)r * _sites + i;
                double m = _m[s];
                for (int q = 0; q < d; q++) eta[q] = z[q];
                eta[lin] += k * m;
                double a = _conditional.Evaluate(eta, g, h);
                if (double.IsNegativeInfinity(a)) return double.NegativeInfinity;
                var t = _t.AsSpan((int)(s * d), d);
                for (int q = 0; q < d; q++) f += eta[q] * t[q];
                f -= a;
                if (gradient is null) continue;
                for (int q = 0; q < d; q++)
                {
                    double e = t[q] - g[q];
                    gradient[q] += e;
                    if (rowScores is not null) rowScores[r * dim + q] += e;
                }
                double ek = m * (t[lin] - g[lin]);
                gradient[d] += ek;
                if (rowScores is not null) rowScores[r * dim + d] += ek;
                if (hessian is null) continue;
                for (int p = 0; p < d; p++)
                {
                    for (int q = 0; q < d; q++) hessian[p * dim + q] -= h[p * d + q];
                    hessian[p * dim + d] -= m * h[p * d + lin];
                }
                hessian[d * dim + d] -= m * m * h[lin * d + lin];
            }
        }
        double n = (double)_rows * _sites;
        if (gradient is not null) for (int q = 0; q < dim; q++) gradient[q] /= n;
        if (hessian is not null)
        {
            for (int p = 0; p < d; p++) hessian[d * dim + p] = hessian[p * dim + d];
            for (int q = 0; q < hessian.Length; q++) hessian[q] /= n;
        }
        return f / n;
    }

    /// <summary>
    /// The maximizer in natural parameters from <paramref name="start"/>, with the natural parameter
    /// <paramref name="fixedIndex"/> and/or K (index d, when <paramref name="fixCoupling"/>) held; null when it does not converge.
    /// </summary>
    public double[]? Fit(double[] start, int? fixedIndex, bool fixCoupling)
    {
        int d = _d, dim = d + 1;
        var free = Enumerable.Range(0, dim).Where(q => q != fixedIndex && !(fixCoupling && q == d)).ToArray();
        var full = new double[dim];
        var fullH = new double[dim * dim];
        double[] Natural(double[] y)
        {
            var z = (double[])start.Clone();
            for (int i = 0; i < free.Length; i++) z[free[i]] = y[i];
            return z;
        }
        double Value(double[] y, double[] g)
        {
            var z = Natural(y);
            if (z[d] > _family.MaximumCoupling) return double.NegativeInfinity;
            double f = Evaluate(z, full, fullH);
            for (int i = 0; i < free.Length; i++) g[i] = full[free[i]];
            return f;
        }
        void Hessian(double[] y, double[] h)
        {
            for (int i = 0; i < free.Length; i++)
                for (int j = 0; j < free.Length; j++) h[i * free.Length + j] = fullH[free[i] * dim + free[j]];
        }
        Action<double[]>? project = _family.MaximumCoupling == 0 && !fixCoupling ? y => y[Array.IndexOf(free, d)] = Math.Min(y[Array.IndexOf(free, d)], 0) : null;
        var r = ConcaveMaximizer.Maximize(Value, Hessian, free.Select(q => start[q]).ToArray(), 1e-11, divergence: 1e6, maxIterations: 200, project: project);
        return r.Converged ? Natural(r.Argmax) : null;
    }
}
