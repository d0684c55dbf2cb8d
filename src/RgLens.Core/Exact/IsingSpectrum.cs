using RgLens.Models;
using static RgLens.Numerics.LogMath;

namespace RgLens.Exact;

/// <summary>
/// The transfer-matrix spectrum of the Ising chain from closed forms (docs/theory.md, "Transfer matrices and exact oracles"):
/// T(s,s') = exp(K s s' + h (s+s')/2), λ± = e^K cosh h ± √(e^{2K} sinh² h + e^{−2K}).
/// Everything is formed in log space: ln λ+ = K + L with
/// L = ln( cosh h + √(sinh² h + e^{−4K}) ), and λ−/λ+ = (1 − e^{−4K}) e^{−2L},
/// so K = 20, |h| = 50 or N = 10⁶ lose no precision.
/// </summary>
internal static class IsingSpectrum
{
    /// <summary>L = ln(cosh h + √(sinh² h + e^{−4K})); ln λ+ = K + L.</summary>
    public static double LogScaledTop(double k, double h)
    {
        double logSqrt = 0.5 * LogAddExp(2 * LogAbsSinh(h), -4 * k);
        return LogAddExp(LogCosh(h), logSqrt);
    }

    /// <summary>ln λ+.</summary>
    public static double LogLambdaPlus(double k, double h) => k + LogScaledTop(k, h);

    /// <summary>
    /// ln |λ−/λ+| and the sign of λ− (sign K; 0 when K = 0). For K &gt; 0 this is
    /// ln(1 − e^{−4K}) − 2L; for K &lt; 0, with q = e^{2K}, ρ = (q² − 1) / (q cosh h + √(1 + q² sinh² h))²,
    /// whose logarithm is a sum of small terms, so a ratio within 1e-17 of −1 keeps its digits.
    /// </summary>
    public static (double LogAbs, int Sign) Ratio(double k, double h)
    {
        if (k == 0) return (double.NegativeInfinity, 0);
        if (k > 0) return (Math.Log(-ExpM1(-4 * k)) - 2 * LogScaledTop(k, h), 1);
        double logDenominator = LogAddExp(2 * k + LogCosh(h), 0.5 * LogAddExp(0, 4 * k + 2 * LogAbsSinh(h)));
        return (Math.Log(-ExpM1(4 * k)) - 2 * logDenominator, -1);
    }

    /// <summary>m = sinh h / √(sinh² h + e^{−4K}) = sign(h) (1 + ε)^{−1/2}, ε = e^{−4K} / sinh² h.</summary>
    public static double Magnetization(double coupling, double field)
    {
        if (field == 0) return 0.0;
        double logEps = -4 * coupling - 2 * LogAbsSinh(field);
        return Math.Sign(field) * Math.Exp(-0.5 * LogAddExp(0, logEps));
    }

    /// <summary>1 + m and 1 − m for the infinite-chain magnetization m = cos 2φ, each to full relative precision.</summary>
    public static (double OnePlus, double OneMinus) OnePlusMinusMagnetization(double coupling, double field)
    {
        if (field == 0) return (1.0, 1.0);
        // |m| = (1 + ε)^{−1/2}, ε = e^{−4K} / sinh² h.
        double logEps = -4 * coupling - 2 * LogAbsSinh(field);
        double logAbsM = -0.5 * LogAddExp(0, logEps);
        double absM = Math.Exp(logAbsM);
        double oneMinusAbs = -ExpM1(logAbsM);
        return field > 0 ? (1 + absM, oneMinusAbs) : (oneMinusAbs, 1 + absM);
    }

    /// <summary>The full spectrum for the generic spectral formulas.</summary>
    public static TransferSpectrum Build(IsingParameters p)
    {
        double k = p.Coupling, h = p.Field;
        var (logAbs, sign) = Ratio(k, h);
        // cos² φ = (1 + m)/2 and sin² φ = (1 − m)/2, with 1 ± m to full relative precision.
        var (onePlusM, oneMinusM) = OnePlusMinusMagnetization(k, h);
        double c = Math.Sqrt(onePlusM / 2), s = Math.Sqrt(oneMinusM / 2);
        var vectors = new double[2, 2] { { c, -s }, { s, c } };
        // b(s) = e^{h s / 2}, scaled by e^{−|h|/2}.
        double scale = Math.Abs(h) / 2;
        double[] boundary = [Math.Exp(h / 2 - scale), Math.Exp(-h / 2 - scale)];
        // With v− = (−sin φ, cos φ): X_01 = −2 cos φ sin φ = −√(1 − m²).
        double m = Magnetization(k, h), offDiagonal = -Math.Sqrt(onePlusM * oneMinusM);
        var pointOperator = new double[2, 2] { { m, offDiagonal }, { offDiagonal, -m } };
        return new TransferSpectrum([1.0, -1.0], LogLambdaPlus(k, h), [0.0, logAbs], [1, sign], vectors, boundary, scale, pointOperator);
    }
}
