using RgLens.Numerics;
using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Exact maximum likelihood for the Ising chain through the transfer matrix (docs/theory.md, "Estimators"):
/// maximize ℓ(K, h) = K B̄ + h M̄ − ln Z_N(K, h), concave in (K, h), with B̄, M̄ the sample means of
/// the bond sum and the magnetization. The gradient (B̄ − E B, M̄ − E M) is exact; the Hessian
/// −Cov(B, M) is taken by central differences of the exact expectations.
/// </summary>
internal static class IsingMaximumLikelihood
{
    /// <summary>Fits (K, h), or K alone when <paramref name="fixedField"/> is set.</summary>
    public static ConcaveMaximizer.Result Fit(double meanBonds, double meanSum, int length, Boundary boundary, double? fixedField)
    {
        Func<double[], double[], double[], double> evaluate = fixedField is double hf
            ? (x, g, hess) => Evaluate1(x[0], hf, meanBonds, length, boundary, g, hess)
            : (x, g, hess) => Evaluate2(x[0], x[1], meanBonds, meanSum, length, boundary, g, hess);
        double[] start = fixedField is null ? [0.0, 0.0] : [0.0];
        return ConcaveMaximizer.Maximize(evaluate, start, 1e-10 * length);
    }

    /// <summary>
    /// The limit estimate when the mean statistics lie on a face of their convex hull, where the
    /// maximum is at infinity: every bond satisfied in every sample (K = +∞; all-up and all-down
    /// samples then fix h = atanh(M̄/N)/N, the field of the limiting two-state mixture, or h = ±∞
    /// when all samples agree), or every bond broken (K = −∞; the field is then not identifiable, NaN).
    /// Null when the statistics are interior and the likelihood has a finite maximum.
    /// </summary>
    public static double[]? BoundaryEstimate(double meanBonds, double meanSum, int length, int bonds, double? fixedField)
    {
        const double exact = 1e-12; // the means are averages of integers; equality up to rounding
        if (meanBonds >= bonds * (1 - exact))
        {
            double h = fixedField ?? (Math.Abs(meanSum) >= length * (1 - exact)
                ? Math.Sign(meanSum) * double.PositiveInfinity
                : Math.Atanh(meanSum / length) / length);
            return [double.PositiveInfinity, h];
        }
        if (meanBonds <= -bonds * (1 - exact))
            return [double.NegativeInfinity, fixedField ?? double.NaN];
        return null;
    }

    /// <summary>Closed form for an open chain at h = 0: K̂ = atanh(mean of s_i s_{i+1}).</summary>
    public static double OpenZeroFieldClosedForm(double meanBonds, int length) => Math.Atanh(meanBonds / (length - 1));

    /// <summary>(E B, E M) for the N-site chain at (K, h).</summary>
    public static (double Bonds, double Sum) Expectations(double k, double h, int length, Boundary boundary)
    {
        var chain = ExactSolver.ChainFor(new IsingParameters(k, h));
        int bonds = boundary == Boundary.Periodic ? length : length - 1;
        var x = chain.Spectrum.PointOperator;
        return (bonds * chain.NeighbourMean(x, x, length, boundary), length * chain.SiteMean(x, length, boundary));
    }

    private static double Evaluate2(double k, double h, double mb, double ms, int n, Boundary boundary, double[] g, double[] hess)
    {
        var chain = ExactSolver.ChainFor(new IsingParameters(k, h));
        double logZ = chain.LogPartition(n, boundary);
        var (eb, es) = Expectations(k, h, n, boundary);
        g[0] = mb - eb;
        g[1] = ms - es;
        double dk = Delta(k), dh = Delta(h);
        var (bkp, skp) = Expectations(k + dk, h, n, boundary);
        var (bkm, skm) = Expectations(k - dk, h, n, boundary);
        var (bhp, shp) = Expectations(k, h + dh, n, boundary);
        var (bhm, shm) = Expectations(k, h - dh, n, boundary);
        double varB = (bkp - bkm) / (2 * dk);
        double varM = (shp - shm) / (2 * dh);
        double cov = 0.5 * ((bhp - bhm) / (2 * dh) + (skp - skm) / (2 * dk));
        hess[0] = -varB;
        hess[1] = -cov;
        hess[2] = -cov;
        hess[3] = -varM;
        return k * mb + h * ms - logZ;
    }

    private static double Evaluate1(double k, double h, double mb, int n, Boundary boundary, double[] g, double[] hess)
    {
        var chain = ExactSolver.ChainFor(new IsingParameters(k, h));
        double logZ = chain.LogPartition(n, boundary);
        var (eb, _) = Expectations(k, h, n, boundary);
        g[0] = mb - eb;
        double dk = Delta(k);
        hess[0] = -(Expectations(k + dk, h, n, boundary).Bonds - Expectations(k - dk, h, n, boundary).Bonds) / (2 * dk);
        return k * mb - logZ;
    }

    private static double Delta(double x) => 1e-5 * Math.Max(1, Math.Abs(x));
}
