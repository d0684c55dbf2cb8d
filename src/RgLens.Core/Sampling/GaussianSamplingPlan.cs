using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Sampling;

/// <summary>
/// The precomputed factors of exact Gaussian chain sampling (docs/theory.md, "Transfer matrices and exact oracles"): the banded Cholesky
/// factor Q = L Lᵀ of the tridiagonal precision of an open chain (L lower bidiagonal, diagonal d_i,
/// subdiagonal e_i), so that x = μ + L⁻ᵀ z with z ~ N(0, I) is an exact draw in O(N). A ring is
/// sampled as x_1 from its exact marginal N(μ, Var_N) followed by the open chain x_2 … x_N given
/// x_1, whose precision is the open (N − 1)-site one and whose mean is μ + (x_1 − μ) w with
/// w = Q_{N−1}⁻¹ K (e_first + e_last).
/// </summary>
internal sealed class GaussianSamplingPlan
{
    private GaussianSamplingPlan(bool periodic, double[] diagonal, double[] subdiagonal, double[] mean, double[] response, double firstMean, double firstSd)
    {
        Periodic = periodic;
        Diagonal = diagonal;
        Subdiagonal = subdiagonal;
        Mean = mean;
        Response = response;
        FirstMean = firstMean;
        FirstSd = firstSd;
    }

    /// <summary>Whether the chain is a ring.</summary>
    public bool Periodic { get; }

    /// <summary>d_i, the Cholesky diagonal of the open part (N sites, or N − 1 for a ring).</summary>
    public double[] Diagonal { get; }

    /// <summary>e_i = L_{i+1,i}, the Cholesky subdiagonal.</summary>
    public double[] Subdiagonal { get; }

    /// <summary>The mean of the open part (for a ring: μ at every site).</summary>
    public double[] Mean { get; }

    /// <summary>w: the response of the ring's sites 2 … N to x_1 − μ (empty for open chains).</summary>
    public double[] Response { get; }

    /// <summary>μ of site 1 of a ring.</summary>
    public double FirstMean { get; }

    /// <summary>The standard deviation of site 1 of a ring.</summary>
    public double FirstSd { get; }

    public static GaussianSamplingPlan Build(ChainModel model, GaussianParameters p)
    {
        int n = model.Length;
        bool periodic = model.Boundary == Boundary.Periodic;
        int m = periodic ? n - 1 : n;
        var d = new double[m];
        var e = new double[Math.Max(m - 1, 0)];
        double previous = 0;
        for (int i = 0; i < m; i++)
        {
            d[i] = Math.Sqrt(p.Precision - previous * previous);
            if (i < m - 1) previous = e[i] = -p.Coupling / d[i];
        }
        var mean = new double[m];
        if (!periodic)
        {
            for (int i = 0; i < m; i++) mean[i] = GaussianClosedForms.OpenMean(p, i + 1, n);
            return new GaussianSamplingPlan(false, d, e, mean, [], 0, 0);
        }
        double mu = GaussianClosedForms.Mean(p);
        Array.Fill(mean, mu);
        var w = new double[m];
        w[0] += p.Coupling;
        w[m - 1] += p.Coupling;
        SolveCholesky(d, e, w);
        double sd = Math.Sqrt(GaussianClosedForms.RingCovariance(p, 0, n));
        return new GaussianSamplingPlan(true, d, e, mean, w, mu, sd);
    }

    /// <summary>One sample from the deviates z (length N), written to <paramref name="row"/>.</summary>
    public void SampleRow(ReadOnlySpan<double> z, Span<double> row)
    {
        var open = Periodic ? row[1..] : row;
        var zOpen = Periodic ? z[1..] : z;
        // Back substitution Lᵀ y = z: y_m = z_m / d_m, y_i = (z_i − e_i y_{i+1}) / d_i.
        int m = Diagonal.Length;
        double next = zOpen[m - 1] / Diagonal[m - 1];
        open[m - 1] = next;
        for (int i = m - 2; i >= 0; i--) open[i] = next = (zOpen[i] - Subdiagonal[i] * next) / Diagonal[i];
        if (!Periodic)
        {
            for (int i = 0; i < m; i++) open[i] += Mean[i];
            return;
        }
        double first = FirstMean + FirstSd * z[0];
        row[0] = first;
        double shift = first - FirstMean;
        for (int i = 0; i < m; i++) open[i] += Mean[i] + Response[i] * shift;
    }

    /// <summary>Solves L Lᵀ v = v in place.</summary>
    private static void SolveCholesky(double[] d, double[] e, double[] v)
    {
        int m = d.Length;
        v[0] /= d[0];
        for (int i = 1; i < m; i++) v[i] = (v[i] - e[i - 1] * v[i - 1]) / d[i];
        v[m - 1] /= d[m - 1];
        for (int i = m - 2; i >= 0; i--) v[i] = (v[i] - e[i] * v[i + 1]) / d[i];
    }
}
