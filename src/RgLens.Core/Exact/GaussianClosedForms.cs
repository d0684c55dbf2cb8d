using RgLens.Models;
using static RgLens.Numerics.LogMath;

namespace RgLens.Exact;

/// <summary>
/// Closed forms for the Gaussian chain (docs/theory.md, "Transfer matrices and exact oracles"), the oracles its numeric (quadrature-grid)
/// path is held to. With u = K/a, ρ = 2u/(1 + √(1 − 4u²)) solves u = ρ/(1 + ρ²), and the
/// precision's symbol factorizes as a − 2K cos θ = c |1 − ρ e^{iθ}|² with c = a/(1 + ρ²). Then
/// <list type="bullet">
/// <item>infinite chain: Cov(x_0, x_r) = ρ^r / (c(1 − ρ²)), mean μ = h/(a − 2K),
/// ln Z per site = ½ ln 2π − ½ ln c + h²/(2(a − 2K));</item>
/// <item>ring of N: Cov(x_0, x_r) = (ρ^r + ρ^{N−r}) / (c(1 − ρ²)(1 − ρ^N)),
/// ln det Q = N ln c + 2 ln(1 − ρ^N);</item>
/// <item>open chain (sites 1 … N, i ≤ j): Cov(x_i, x_j) = ρ^{j−i}(1 − ρ^{2i})(1 − ρ^{2(N−j+1)}) / (c(1 − ρ²)(1 − ρ^{2N+2})),
/// μ_i = μ[1 − (ρ^i + ρ^{N+1−i})/(1 + ρ^{N+1})], ln det Q = N ln c + ln(1 − ρ^{2N+2}) − ln(1 − ρ²).</item>
/// </list>
/// Every 1 − ρ^n is formed by expm1 from 1 − |ρ| = (w + s)/(1 + s), w = 1 − 2|u| = (a − 2|K|)/a,
/// s = √(w(2 − w)), so chains near the massless point u → ½ keep their digits.
/// </summary>
public static class GaussianClosedForms
{
    /// <summary>The lag-one correlation ρ of the infinite chain (the ratio λ_1/λ_0 of the transfer operator).</summary>
    public static double LagOneCorrelation(GaussianParameters p) => Terms.Of(p).Rho;

    /// <summary>c = a/(1 + ρ²), so that the infinite chain's variance is 1/(c(1 − ρ²)).</summary>
    public static double SymbolScale(GaussianParameters p) => Terms.Of(p).C;

    /// <summary>The infinite chain's mean h/(a − 2K) (also every site's mean on a ring).</summary>
    public static double Mean(GaussianParameters p) => p.Field / (p.Precision - 2 * p.Coupling);

    /// <summary>Cov(x_0, x_r) of the infinite chain: ρ^r/(c(1 − ρ²)); the variance at r = 0.</summary>
    public static double InfiniteCovariance(GaussianParameters p, int r)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(r);
        var t = Terms.Of(p);
        return Math.Pow(t.Rho, r) / (t.C * t.OneMinusRho2);
    }

    /// <summary>Cov(x_i, x_{i+r}) on a ring of N sites.</summary>
    public static double RingCovariance(GaussianParameters p, int r, int length)
    {
        var t = Terms.Of(p);
        r = ((r % length) + length) % length;
        return (Math.Pow(t.Rho, r) + Math.Pow(t.Rho, length - r)) / (t.C * t.OneMinusRho2 * t.OneMinusPower(length));
    }

    /// <summary>Cov(x_i, x_j) on an open chain of N sites (1-based, any order).</summary>
    public static double OpenCovariance(GaussianParameters p, int i, int j, int length)
    {
        if (i > j) (i, j) = (j, i);
        var t = Terms.Of(p);
        return Math.Pow(t.Rho, j - i) * t.OneMinusPower(2 * i) * t.OneMinusPower(2 * (length - j + 1))
               / (t.C * t.OneMinusRho2 * t.OneMinusPower(2 * length + 2));
    }

    /// <summary>⟨x_i⟩ at site i (1-based) of an open chain: μ[1 − (ρ^i + ρ^{N+1−i})/(1 + ρ^{N+1})].</summary>
    public static double OpenMean(GaussianParameters p, int i, int length)
    {
        var t = Terms.Of(p);
        return Mean(p) * (1 - (Math.Pow(t.Rho, i) + Math.Pow(t.Rho, length + 1 - i)) / t.OnePlusPower(length + 1));
    }

    /// <summary>ln Z per site of the infinite chain (the log of the transfer operator's top eigenvalue).</summary>
    public static double LogPartitionPerSite(GaussianParameters p) =>
        0.5 * Math.Log(2 * Math.PI) - 0.5 * Math.Log(Terms.Of(p).C) + 0.5 * p.Field * Mean(p);

    /// <summary>ln Z_N: (N/2) ln 2π − ½ ln det Q + ½ hᵀ Q⁻¹ h.</summary>
    public static double LogPartition(GaussianParameters p, int length, Boundary boundary)
    {
        var t = Terms.Of(p);
        double logDet, quadratic;
        if (boundary == Boundary.Periodic)
        {
            logDet = length * Math.Log(t.C) + 2 * Math.Log(t.OneMinusPower(length));
            quadratic = length * p.Field * Mean(p);
        }
        else
        {
            logDet = length * Math.Log(t.C) + Math.Log(t.OneMinusPower(2 * length + 2)) - Math.Log(t.OneMinusRho2);
            double sum = 0;
            for (int i = 1; i <= length; i++) sum += OpenMean(p, i, length);
            quadratic = p.Field * sum;
        }
        return 0.5 * length * Math.Log(2 * Math.PI) - 0.5 * logDet + 0.5 * quadratic;
    }

    /// <summary>ξ = −1/ln|ρ| (0 at K = 0).</summary>
    public static double CorrelationLength(GaussianParameters p)
    {
        var t = Terms.Of(p);
        return t.Rho == 0 ? 0.0 : -1.0 / t.LogAbsRho;
    }

    /// <summary>The exact observables of the N-site chain.</summary>
    public static ChainObservables Finite(GaussianParameters p, int length, Boundary boundary)
    {
        double logZ = LogPartition(p, length, boundary);
        if (boundary == Boundary.Periodic)
        {
            double mu = Mean(p);
            return new(logZ, logZ / length, mu, RingCovariance(p, 0, length) + mu * mu,
                RingCovariance(p, 1, length) + mu * mu, CorrelationLength(p));
        }
        double mean = 0, second = 0, neighbour = 0, previous = 0;
        for (int i = 1; i <= length; i++)
        {
            double m = OpenMean(p, i, length);
            mean += m;
            second += OpenCovariance(p, i, i, length) + m * m;
            if (i > 1) neighbour += OpenCovariance(p, i - 1, i, length) + previous * m;
            previous = m;
        }
        return new(logZ, logZ / length, mean / length, second / length, neighbour / (length - 1), CorrelationLength(p));
    }

    /// <summary>The exact observables of the infinite chain.</summary>
    public static ChainObservables Infinite(GaussianParameters p)
    {
        double mu = Mean(p);
        return new(null, LogPartitionPerSite(p), mu, InfiniteCovariance(p, 0) + mu * mu,
            InfiniteCovariance(p, 1) + mu * mu, CorrelationLength(p));
    }

    /// <summary>ρ and the quantities derived from it without cancellation.</summary>
    internal readonly record struct Terms(double Rho, double OneMinusAbsRho, double LogAbsRho, double C, double OneMinusRho2)
    {
        public static Terms Of(GaussianParameters p)
        {
            double a = p.Precision, k = p.Coupling;
            double w = (a - 2 * Math.Abs(k)) / a;        // 1 − 2|u|, exact to rounding
            double s = Math.Sqrt(w * (2 - w));            // √(1 − 4u²)
            double rho = 2 * (k / a) / (1 + s);
            double oneMinusAbs = (w + s) / (1 + s);
            double logAbs = rho == 0 ? double.NegativeInfinity : Log1P(-oneMinusAbs);
            return new(rho, oneMinusAbs, logAbs, a / (1 + rho * rho), oneMinusAbs * (2 - oneMinusAbs));
        }

        /// <summary>1 − ρ^n for n ≥ 1, by expm1 where it is small.</summary>
        public double OneMinusPower(int n)
        {
            if (Rho == 0) return 1.0;
            if (Rho < 0 && (n & 1) == 1) return 1 + Math.Exp(n * LogAbsRho);
            return -ExpM1(n * LogAbsRho);
        }

        /// <summary>1 + ρ^n for n ≥ 1.</summary>
        public double OnePlusPower(int n)
        {
            if (Rho == 0) return 1.0;
            if (Rho < 0 && (n & 1) == 1) return -ExpM1(n * LogAbsRho);
            return 1 + Math.Exp(n * LogAbsRho);
        }
    }
}
