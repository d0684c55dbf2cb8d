using static RgLens.Numerics.LogMath;

namespace RgLens.Exact;

/// <summary>
/// Closed-form results for the Ising chain (docs/theory.md, "Transfer matrices and exact oracles"), evaluated in log space so that they
/// stay finite for large |K| and |h|. These are the oracles that tests hold numeric paths to.
/// </summary>
public static class IsingClosedForms
{
    /// <summary>ln λ+ = ln( e^K cosh h + √(e^{2K} sinh² h + e^{−2K}) ): ln Z per site of the infinite chain.</summary>
    public static double LogLambdaPlus(double coupling, double field) => IsingSpectrum.LogLambdaPlus(coupling, field);

    /// <summary>λ+ and λ− directly from the textbook formula (for moderate K, h; overflows beyond).</summary>
    public static (double Plus, double Minus) Eigenvalues(double coupling, double field)
    {
        double a = Math.Exp(coupling) * Math.Cosh(field);
        double r = Math.Sqrt(Math.Exp(2 * coupling) * Math.Sinh(field) * Math.Sinh(field) + Math.Exp(-2 * coupling));
        return (a + r, a - r);
    }

    /// <summary>Infinite-chain magnetization m = sinh h / √(sinh² h + e^{−4K}).</summary>
    public static double Magnetization(double coupling, double field) => IsingSpectrum.Magnetization(coupling, field);

    /// <summary>Infinite-chain ⟨s_i s_{i+1}⟩ = ∂ ln λ+ / ∂K = 1 − 2e^{−4K} / (√S (cosh h + √S)), S = sinh² h + e^{−4K}; tanh K at h = 0.</summary>
    public static double NearestNeighbour(double coupling, double field)
    {
        double logSqrtS = 0.5 * LogAddExp(2 * LogAbsSinh(field), -4 * coupling);
        double l = IsingSpectrum.LogScaledTop(coupling, field);
        return 1 - Math.Exp(Math.Log(2) - 4 * coupling - logSqrtS - l);
    }

    /// <summary>ξ = 1 / ln(λ+/|λ−|); 0 at K = 0; +∞ where ξ exceeds the largest double (|K| ≳ 355 at h = 0).</summary>
    public static double CorrelationLength(double coupling, double field)
    {
        var (logAbs, sign) = IsingSpectrum.Ratio(coupling, field);
        return sign == 0 ? 0.0 : SpectralChain.FromLogRatio(logAbs);
    }

    /// <summary>
    /// ⟨s_0 s_r⟩ at h = 0: t^r (open or infinite chain), (t^r + t^{N−r}) / (1 + t^N) on a ring of N, t = tanh K.
    /// </summary>
    public static double ZeroFieldCorrelation(double coupling, int distance, int length, Models.Boundary boundary)
    {
        double t = Math.Tanh(coupling);
        if (boundary == Models.Boundary.Open) return Math.Pow(t, distance);
        return (Math.Pow(t, distance) + Math.Pow(t, length - distance)) / (1 + Math.Pow(t, length));
    }
}
