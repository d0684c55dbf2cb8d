using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Exact;

/// <summary>
/// Exact finite- and infinite-chain expectations from a <see cref="TransferSpectrum"/>
/// (docs/theory.md, "Transfer matrices and exact oracles"): partition functions Z_N = Tr T^N (ring) or bᵀ T^{N−1} b (open chain), site
/// expectations and two-point functions, as sums over eigenmodes in which eigenvalue powers are
/// formed from ratios ρ_k = λ_k/λ_0, so that nothing overflows for any N. Site operators are
/// given in the eigenbasis (F_kl = Σ_x V[x,k] f(x) V[x,l]). Sites are numbered 1 … N.
/// Two-state rings use a rearranged form in which 1 + ρ^N and ρ^d + ρ^{N−d} are formed without
/// cancellation, so frustrated antiferromagnetic rings (ρ ≈ −1, N odd) keep their digits.
/// Cost: O(n²) per site quantity and O(n³) per two-point quantity for n states.
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
        return (n - 1) * _s.LogLambdaMax + 2 * _s.LogBoundaryScale + Math.Log(OpenNormalizer(n));
    }

    /// <summary>(1/N) Σ_i ⟨f(x_i)⟩ for the site operator <paramref name="f"/>.</summary>
    public double SiteMean(double[,] f, int n, Boundary boundary)
    {
        int m = _s.States;
        if (boundary == Boundary.Periodic)
        {
            if (m == 2) return f[0, 0] + (f[1, 1] - f[0, 0]) * _s.RatioPower(1, n) / _s.OnePlusRatioPower(1, n);
            double num = 0, den = 0;
            for (int k = 0; k < m; k++)
            {
                double p = _s.RatioPower(k, n);
                num += p * f[k, k];
                den += p;
            }
            return num / den;
        }
        double total = 0;
        for (int k = 0; k < m; k++)
            for (int l = 0; l < m; l++)
                total += _a[k] * f[k, l] * _a[l] * _s.GeometricSum(k, l, n);
        return total / (n * OpenNormalizer(n));
    }

    /// <summary>⟨f(x_i)⟩ at site i (1 ≤ i ≤ N).</summary>
    public double SiteExpectation(double[,] f, int i, int n, Boundary boundary)
    {
        if (boundary == Boundary.Periodic) return SiteMean(f, n, boundary);
        double total = 0;
        for (int k = 0; k < _s.States; k++)
            for (int l = 0; l < _s.States; l++)
                total += _a[k] * _s.RatioPower(k, i - 1) * f[k, l] * _s.RatioPower(l, n - i) * _a[l];
        return total / OpenNormalizer(n);
    }

    /// <summary>⟨f(x_i) g(x_j)⟩ for 1 ≤ i ≤ j ≤ N.</summary>
    public double TwoPoint(double[,] f, double[,] g, int i, int j, int n, Boundary boundary)
    {
        if (i > j) throw new ArgumentException("TwoPoint needs i <= j.");
        int m = _s.States, d = j - i;
        double total = 0;
        if (boundary == Boundary.Periodic)
        {
            if (m == 2) return TwoStateRingTwoPoint(f, g, d, n);
            double den = 0;
            for (int k = 0; k < m; k++)
            {
                den += _s.RatioPower(k, n);
                double pk = _s.RatioPower(k, n - d);
                for (int l = 0; l < m; l++) total += pk * f[k, l] * _s.RatioPower(l, d) * g[l, k];
            }
            return total / den;
        }
        for (int k = 0; k < m; k++)
        {
            double left = _a[k] * _s.RatioPower(k, i - 1);
            for (int l = 0; l < m; l++)
            {
                double mid = left * f[k, l] * _s.RatioPower(l, d);
                for (int q = 0; q < m; q++) total += mid * g[l, q] * _s.RatioPower(q, n - j) * _a[q];
            }
        }
        return total / OpenNormalizer(n);
    }

    /// <summary>The bond average of ⟨f(x_i) g(x_{i+1})⟩ over the chain's N (ring) or N − 1 (open) bonds.</summary>
    public double NeighbourMean(double[,] f, double[,] g, int n, Boundary boundary)
    {
        if (boundary == Boundary.Periodic) return TwoPoint(f, g, 1, 2, n, boundary);
        int m = _s.States;
        double total = 0;
        for (int k = 0; k < m; k++)
            for (int l = 0; l < m; l++)
            {
                double kl = _a[k] * f[k, l] * _s.RatioPower(l, 1);
                for (int q = 0; q < m; q++) total += kl * g[l, q] * _a[q] * _s.GeometricSum(k, q, n - 1);
            }
        return total / ((n - 1) * OpenNormalizer(n));
    }

    /// <summary>⟨f(x)⟩ in the infinite chain: the Perron mode's diagonal element.</summary>
    public static double InfiniteMean(double[,] f) => f[0, 0];

    /// <summary>⟨f(x_0) g(x_r)⟩ in the infinite chain.</summary>
    public double InfiniteTwoPoint(double[,] f, double[,] g, int r)
    {
        double total = 0;
        for (int l = 0; l < _s.States; l++) total += f[0, l] * _s.RatioPower(l, r) * g[l, 0];
        return total;
    }

    /// <summary>
    /// ξ = 1 / ln(λ_0 / |λ_1|), with λ_1 the largest subleading eigenvalue; 0 when there is none,
    /// +∞ when |λ_1| = λ_0 to double precision (ξ beyond the largest double, e.g. Ising at |K| ≳ 355).
    /// </summary>
    public double CorrelationLength()
    {
        double best = double.NegativeInfinity;
        for (int k = 1; k < _s.States; k++) best = Math.Max(best, _s.LogAbsRatio[k]);
        return FromLogRatio(best);
    }

    /// <summary>ξ = −1 / ln|ρ|: 0 for ρ = 0, +∞ when ln|ρ| rounds to 0 (never −∞ from a +0).</summary>
    internal static double FromLogRatio(double logAbsRatio) =>
        double.IsNegativeInfinity(logAbsRatio) ? 0.0 : logAbsRatio >= 0 ? double.PositiveInfinity : -1.0 / logAbsRatio;

    /// <summary>
    /// Two states on a ring: F00 G00 + [(F11 G11 − F00 G00) ρ^N + F01 G10 ρ^d (1 + ρ^{N−2d})] / (1 + ρ^N)
    /// for symmetric site operators, which keeps every near-cancelling sum in a stable form.
    /// </summary>
    private double TwoStateRingTwoPoint(double[,] f, double[,] g, int d, int n)
    {
        int shortest = Math.Min(d, n - d);
        double cross = f[0, 1] * g[1, 0] * _s.RatioPower(1, shortest) * _s.OnePlusRatioPower(1, n - 2 * shortest);
        double diagonal = (f[1, 1] * g[1, 1] - f[0, 0] * g[0, 0]) * _s.RatioPower(1, n);
        return f[0, 0] * g[0, 0] + (diagonal + cross) / _s.OnePlusRatioPower(1, n);
    }

    private double OpenNormalizer(int n)
    {
        double z = 0;
        for (int k = 0; k < _s.States; k++) z += _s.RatioPower(k, n - 1) * _a[k] * _a[k];
        return z;
    }

    /// <summary>ln Σ_k ρ_k^N = ln(1 + Σ_{k≥1} ρ_k^N), the mode closest to −1 combined with the 1 through expm1.</summary>
    private double LogOnePlusRatioPowers(int n)
    {
        int worst = -1;
        for (int k = 1; k < _s.States; k++)
            if (_s.RatioSign[k] < 0 && (n & 1) == 1 && (worst < 0 || _s.LogAbsRatio[k] > _s.LogAbsRatio[worst])) worst = k;
        double sum = worst < 0 ? 1.0 : -LogMath.ExpM1(n * _s.LogAbsRatio[worst]);
        for (int k = 1; k < _s.States; k++)
            if (k != worst) sum += _s.RatioPower(k, n);
        return Math.Log(sum);
    }
}
