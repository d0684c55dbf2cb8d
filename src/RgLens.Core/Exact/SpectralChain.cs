using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Exact;

/// <summary>
/// Exact finite- and infinite-chain expectations from a <see cref="TransferSpectrum"/>
/// (theory.md §1): partition functions Z_N = Tr T^N (ring) or bᵀ T^{N−1} b (open chain), site
/// expectations and two-point functions, all as sums over eigenmodes in which the eigenvalue
/// powers are formed from ratios, so that nothing overflows for any N.
/// Cost: O(n²) per site quantity and O(n³) per two-point quantity for n states.
/// Sites are numbered 1 … N as in the theory.
/// </summary>
internal sealed class SpectralChain
{
    private readonly TransferSpectrum _s;
    private readonly double[] _a;

    public SpectralChain(TransferSpectrum spectrum)
    {
        _s = spectrum;
        _a = spectrum.BoundaryCoefficients();
    }

    public TransferSpectrum Spectrum => _s;

    /// <summary>ln Z_N.</summary>
    public double LogPartition(int n, Boundary boundary)
    {
        if (boundary == Boundary.Periodic)
            return n * _s.LogLambdaMax + LogOnePlusRatioPowers(n);
        double z = 0;
        for (int k = 0; k < _s.States; k++) z += _s.RatioPower(k, n - 1) * _a[k] * _a[k];
        return (n - 1) * _s.LogLambdaMax + 2 * _s.LogBoundaryScale + Math.Log(z);
    }

    /// <summary>(1/N) Σ_i ⟨f(x_i)⟩, the site-averaged expectation.</summary>
    public double SiteMean(Func<double, double> f, int n, Boundary boundary)
    {
        var fm = _s.SiteOperator(f);
        int m = _s.States;
        if (boundary == Boundary.Periodic)
        {
            double num = 0, den = 0;
            for (int k = 0; k < m; k++)
            {
                double p = _s.RatioPower(k, n);
                num += p * fm[k, k];
                den += p;
            }
            return num / den;
        }
        double total = 0;
        for (int k = 0; k < m; k++)
            for (int l = 0; l < m; l++)
                total += _a[k] * fm[k, l] * _a[l] * _s.GeometricSum(k, l, n);
        return total / (n * OpenNormalizer(n));
    }

    /// <summary>⟨f(x_i)⟩ at site i (1 ≤ i ≤ N).</summary>
    public double SiteExpectation(Func<double, double> f, int i, int n, Boundary boundary)
    {
        if (boundary == Boundary.Periodic) return SiteMean(f, n, boundary);
        var fm = _s.SiteOperator(f);
        double total = 0;
        for (int k = 0; k < _s.States; k++)
            for (int l = 0; l < _s.States; l++)
                total += _a[k] * _s.RatioPower(k, i - 1) * fm[k, l] * _s.RatioPower(l, n - i) * _a[l];
        return total / OpenNormalizer(n);
    }

    /// <summary>⟨f(x_i) g(x_j)⟩ for 1 ≤ i ≤ j ≤ N.</summary>
    public double TwoPoint(Func<double, double> f, Func<double, double> g, int i, int j, int n, Boundary boundary)
    {
        if (i > j) throw new ArgumentException("TwoPoint needs i <= j.");
        var fm = _s.SiteOperator(f);
        var gm = _s.SiteOperator(g);
        int m = _s.States, d = j - i;
        double total = 0;
        if (boundary == Boundary.Periodic)
        {
            double den = 0;
            for (int k = 0; k < m; k++)
            {
                den += _s.RatioPower(k, n);
                double pk = _s.RatioPower(k, n - d);
                for (int l = 0; l < m; l++) total += pk * fm[k, l] * _s.RatioPower(l, d) * gm[l, k];
            }
            return total / den;
        }
        for (int k = 0; k < m; k++)
        {
            double left = _a[k] * _s.RatioPower(k, i - 1);
            for (int l = 0; l < m; l++)
            {
                double mid = left * fm[k, l] * _s.RatioPower(l, d);
                for (int q = 0; q < m; q++) total += mid * gm[l, q] * _s.RatioPower(q, n - j) * _a[q];
            }
        }
        return total / OpenNormalizer(n);
    }

    /// <summary>The bond average of ⟨f(x_i) g(x_{i+1})⟩ over the chain's N (ring) or N − 1 (open) bonds.</summary>
    public double NeighbourMean(Func<double, double> f, Func<double, double> g, int n, Boundary boundary)
    {
        if (boundary == Boundary.Periodic) return TwoPoint(f, g, 1, 2, n, boundary);
        var fm = _s.SiteOperator(f);
        var gm = _s.SiteOperator(g);
        int m = _s.States;
        double total = 0;
        for (int k = 0; k < m; k++)
            for (int l = 0; l < m; l++)
            {
                double kl = _a[k] * fm[k, l] * _s.RatioPower(l, 1);
                for (int q = 0; q < m; q++) total += kl * gm[l, q] * _a[q] * _s.GeometricSum(k, q, n - 1);
            }
        return total / ((n - 1) * OpenNormalizer(n));
    }

    /// <summary>⟨f(x)⟩ in the infinite chain: the Perron mode's diagonal element.</summary>
    public double InfiniteMean(Func<double, double> f) => _s.SiteOperator(f)[0, 0];

    /// <summary>⟨f(x_0) g(x_r)⟩ in the infinite chain.</summary>
    public double InfiniteTwoPoint(Func<double, double> f, Func<double, double> g, int r)
    {
        var fm = _s.SiteOperator(f);
        var gm = _s.SiteOperator(g);
        double total = 0;
        for (int l = 0; l < _s.States; l++) total += fm[0, l] * _s.RatioPower(l, r) * gm[l, 0];
        return total;
    }

    /// <summary>ξ = 1 / ln(λ_0 / |λ_1|), with λ_1 the largest subleading eigenvalue; 0 when there is none.</summary>
    public double CorrelationLength()
    {
        double best = double.NegativeInfinity;
        for (int k = 1; k < _s.States; k++) best = Math.Max(best, _s.LogAbsRatio[k]);
        return double.IsNegativeInfinity(best) ? 0.0 : -1.0 / best;
    }

    private double OpenNormalizer(int n)
    {
        double z = 0;
        for (int k = 0; k < _s.States; k++) z += _s.RatioPower(k, n - 1) * _a[k] * _a[k];
        return z;
    }

    /// <summary>ln Σ_k ρ_k^N = ln(1 + Σ_{k≥1} ρ_k^N), with the near-cancelling term taken by expm1.</summary>
    private double LogOnePlusRatioPowers(int n)
    {
        // The mode with ρ^N closest to −1 is combined with the leading 1 through expm1, which keeps
        // the digits of 1 + ρ^N when a frustrated ring (K < 0, odd N) makes it nearly vanish.
        int worst = -1;
        for (int k = 1; k < _s.States; k++)
            if (_s.RatioSign[k] < 0 && (n & 1) == 1 && (worst < 0 || _s.LogAbsRatio[k] > _s.LogAbsRatio[worst])) worst = k;
        double sum = worst < 0 ? 1.0 : -LogMath.ExpM1(n * _s.LogAbsRatio[worst]);
        for (int k = 1; k < _s.States; k++)
            if (k != worst) sum += _s.RatioPower(k, n);
        return Math.Log(sum);
    }
}
