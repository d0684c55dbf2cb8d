using RgLens.Models;
using static RgLens.Numerics.LogMath;

namespace RgLens.Exact;

/// <summary>
/// The finite Ising chain from powers of the transfer matrix formed entirely in log space, for the
/// couplings where the eigenmode sums of <see cref="SpectralChain"/> cannot resolve the answer:
/// when 1 − |λ−/λ+| is below e^{−600} (|K| ≳ 300), an odd antiferromagnetic ring has
/// 1 + (λ−/λ+)^N ≈ N·(1 − |λ−/λ+|), which underflows, and ln Z became −∞ with NaN moments.
/// Every matrix here has positive entries (T(s,s') = e^{K s s' + h (s+s')/2}, divided by λ+ with
/// ln λ+ = K + L in closed form), so products are log-sum-exps with no cancellation; quantities
/// with signs (⟨s⟩, ⟨s s'⟩) are split into positive parts (up/down sites, aligned/anti-aligned
/// bonds) that are summed separately, using the block-matrix identity
/// [[T, X], [0, T]]^m = [[T^m, Σ_j T^j X T^{m−1−j}], [0, T^m]]. Cost: O(log N).
/// </summary>
internal static class IsingLogTransfer
{
    /// <summary>Below this ln(1 − |λ−/λ+|) the spectral sums lose the answer; this class takes over.</summary>
    public const double LogGapThreshold = -600;

    /// <summary>ln(1 − |λ−/λ+|) in closed form: ln(2r/λ+) for K ≥ 0 (r = √(e^{2K} sinh² h + e^{−2K})), ln(2 e^K cosh h / λ+) for K &lt; 0.</summary>
    public static double LogGap(double k, double h)
    {
        double logPlus = IsingSpectrum.LogLambdaPlus(k, h);
        if (k >= 0) return Math.Log(2) + 0.5 * LogAddExp(2 * k + 2 * LogAbsSinh(h), -2 * k) - logPlus;
        return Math.Log(2) + k + LogCosh(h) - logPlus;
    }

    /// <summary>Whether the finite chain at (K, h) needs this log-space path.</summary>
    public static bool Needed(double k, double h) => LogGap(k, h) < LogGapThreshold;

    /// <summary>ln Z, ⟨s⟩ (site average), ⟨s_i s_{i+1}⟩ (bond average) of the chain of N sites.</summary>
    public static (double LogZ, double Mean, double NearestNeighbour) Finite(double k, double h, int n, Boundary boundary)
    {
        double l = IsingSpectrum.LogScaledTop(k, h);
        // ln of T/λ+: entries (++, +−, −+, −−); ln λ+ = K + L, so ln T/λ+ = K s s' + h(s+s')/2 − K − L.
        double[] t = [h - l, -2 * k - l, -2 * k - l, -h - l];
        double logScale = k + l;
        return boundary == Boundary.Periodic ? Ring(t, logScale, n) : Open(t, logScale, h, n);
    }

    private static (double, double, double) Ring(double[] t, double logScale, int n)
    {
        var p = Power(t, 2, n);
        double logTrace = LogAddExp(p[0], p[3]);
        double mean = Math.Exp(p[0] - logTrace) - Math.Exp(p[3] - logTrace);
        // ⟨s_1 s_2⟩ = Σ_ab s_a s_b T_ab (T^{N−1})_ba / Tr T^N.
        var q = Power(t, 2, n - 1);
        double aligned = LogAddExp(t[0] + q[0], t[3] + q[3]);
        double anti = LogAddExp(t[1] + q[2], t[2] + q[1]);
        double nn = Math.Exp(aligned - logTrace) - Math.Exp(anti - logTrace);
        return (n * logScale + logTrace, mean, nn);
    }

    private static (double, double, double) Open(double[] t, double logScale, double h, int n)
    {
        // Z = bᵀ T^{N−1} b with b(s) = e^{h s/2}.
        double[] b = [h / 2, -h / 2];
        var p = Power(t, 2, n - 1);
        double logZ = Sandwich(b, p, 2, 0, 0);
        // Up-spin count: Σ_{i<N} T^{i−1} D+ T^{N−i} (block power, X = D+ T) plus site N (T^{N−1} D+).
        double NegInf = double.NegativeInfinity;
        double logUp = LogAddExp(SiteSum(t, [t[0], t[1], NegInf, NegInf], b, n), LogAddExp(b[0] + p[0] + b[0], b[1] + p[2] + b[0]));
        double logDown = LogAddExp(SiteSum(t, [NegInf, NegInf, t[2], t[3]], b, n), LogAddExp(b[0] + p[1] + b[1], b[1] + p[3] + b[1]));
        double logSites = Math.Log(n) + logZ;
        double mean = Math.Exp(logUp - logSites) - Math.Exp(logDown - logSites);
        // Bonds: Σ_{j=0}^{N−2} T^j X T^{N−2−j} with X the aligned or the anti-aligned part of T.
        double logAligned = SiteSum(t, [t[0], NegInf, NegInf, t[3]], b, n);
        double logAnti = SiteSum(t, [NegInf, t[1], t[2], NegInf], b, n);
        double logBonds = Math.Log(n - 1) + logZ;
        double nn = Math.Exp(logAligned - logBonds) - Math.Exp(logAnti - logBonds);
        return ((n - 1) * logScale + logZ, mean, nn);
    }

    /// <summary>ln bᵀ (Σ_{j=0}^{N−2} T^j X T^{N−2−j}) b, from the upper-right block of [[T, X], [0, T]]^{N−1}.</summary>
    private static double SiteSum(double[] t, double[] x, double[] b, int n)
    {
        double NegInf = double.NegativeInfinity;
        double[] block =
        [
            t[0], t[1], x[0], x[1],
            t[2], t[3], x[2], x[3],
            NegInf, NegInf, t[0], t[1],
            NegInf, NegInf, t[2], t[3],
        ];
        var p = Power(block, 4, n - 1);
        return Sandwich(b, p, 4, 0, 2);
    }

    /// <summary>ln Σ_ab e^{b_a + M[r+a, c+b] + b_b} over the 2×2 block of the d×d log matrix M at (r, c).</summary>
    private static double Sandwich(double[] b, double[] m, int d, int r, int c)
    {
        double s = double.NegativeInfinity;
        for (int a = 0; a < 2; a++)
            for (int e = 0; e < 2; e++)
                s = LogAddExp(s, b[a] + m[(r + a) * d + c + e] + b[e]);
        return s;
    }

    /// <summary>The m-th power of a d×d matrix given by the logs of its (non-negative) entries.</summary>
    private static double[] Power(double[] logMatrix, int d, int m)
    {
        var result = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                result[i * d + j] = i == j ? 0 : double.NegativeInfinity;
        var square = (double[])logMatrix.Clone();
        while (m > 0)
        {
            if ((m & 1) == 1) result = Multiply(result, square, d);
            m >>= 1;
            if (m > 0) square = Multiply(square, square, d);
        }
        return result;
    }

    private static double[] Multiply(double[] a, double[] b, int d)
    {
        var c = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = double.NegativeInfinity;
                for (int k = 0; k < d; k++) s = LogAddExp(s, a[i * d + k] + b[k * d + j]);
                c[i * d + j] = s;
            }
        return c;
    }
}
