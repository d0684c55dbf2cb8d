using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;
using static RgLens.Numerics.LogMath;

namespace RgLens.Renormalization;

/// <summary>
/// Exact decimation of the Ising chain for any scale factor b (docs/theory.md, "Decimation and its fixed points"). The composed kernel
/// T_b = T^b is written through the spectrum T = λ+ (v+v+ᵀ + ρ v−v−ᵀ), ρ = λ−/λ+, with
/// v+ = (cos φ, sin φ) and cos 2φ = m the infinite-chain magnetization. Reading
/// T_b(s,s') = exp(g_b + K_b s s' + h_b (s+s')/2) off it gives forms free of cancellation:
/// <list type="bullet">
/// <item>K_b = ¼ log1p( 4ρ^b / ((1 − m²)(1 − ρ^b)²) ) (tanh K_b = tanh^b K at h = 0); when ρ^b &lt; 0,
/// the equal form ¼ ln( A B / ((1 − m²)(1 − ρ^b)²) ) with 1 + ρ^b taken by expm1,</item>
/// <item>h_b = ½ ln( ((1+m) + ρ^b (1−m)) / ((1−m) + ρ^b (1+m)) ),</item>
/// <item>g_b = b ln λ+ + ¼ ln( A B (1 − m²)(1 − ρ^b)² ) − ln 2, A, B the two brackets above.</item>
/// </list>
/// As b → ∞ these tend to the stable fixed point K* = 0, h* = atanh m = asinh(e^{2K} sinh h).
/// <see cref="StepByMatrixPower"/> (log-space matrix power) and <see cref="StepClosedFormB2"/>
/// (the b = 2 closed form) are kept as independent references.
/// </summary>
public sealed class IsingDecimation : DecimationMap
{
    /// <summary>The one instance.</summary>
    public static IsingDecimation Instance { get; } = new();

    private IsingDecimation() { }

    /// <inheritdoc />
    public override ChainFamily Family => IsingFamily.Instance;

    /// <inheritdoc />
    protected override RgStep StepCore(ChainParameters theta, int scaleFactor, int stepIndex)
    {
        var p = (IsingParameters)theta;
        var (k, h, g) = Step(p.Coupling, p.Field, scaleFactor);
        return new RgStep(stepIndex, new IsingParameters(k, h), g, 0.0);
    }

    /// <summary>(K_b, h_b, g_b) from the spectral forms above.</summary>
    public static (double Coupling, double Field, double LogScale) Step(double coupling, double field, int scaleFactor)
    {
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        var (onePlusM, oneMinusM) = IsingSpectrum.OnePlusMinusMagnetization(coupling, field);
        var (logAbsRho, sign) = IsingSpectrum.Ratio(coupling, field);
        // ρ^b and 1 − ρ^b (in log form where it matters).
        double rhoB = sign == 0 ? 0.0 : ((sign < 0 && (scaleFactor & 1) == 1) ? -1 : 1) * Math.Exp(scaleFactor * logAbsRho);
        double logOneMinusRhoB = rhoB > 0 ? Math.Log(-ExpM1(scaleFactor * logAbsRho)) : Log1P(-rhoB);
        double logOneMinusM2 = Math.Log(onePlusM) + Math.Log(oneMinusM);
        double a, bb, kb;
        if (rhoB >= 0)
        {
            a = onePlusM + rhoB * oneMinusM;
            bb = oneMinusM + rhoB * onePlusM;
            if (rhoB == 0) kb = 0;
            else
            {
                double logRatio = Math.Log(4) + Math.Log(rhoB) - logOneMinusM2 - 2 * logOneMinusRhoB;
                kb = 0.25 * LogAddExp(0, logRatio);
            }
        }
        else
        {
            // ρ^b < 0 (K < 0, b odd): A = (1 + ρ^b) + m (1 − ρ^b), B = (1 + ρ^b) − m (1 − ρ^b), with
            // 1 + ρ^b from expm1, so ρ^b → −1 (strong antiferromagnet) keeps its digits.
            double m = IsingSpectrum.Magnetization(coupling, field);
            double onePlusRhoB = -ExpM1(scaleFactor * logAbsRho);
            double oneMinusRhoB = Math.Exp(logOneMinusRhoB);
            a = onePlusRhoB + m * oneMinusRhoB;
            bb = onePlusRhoB - m * oneMinusRhoB;
            // log1p(−x), x = 4|ρ^b| / ((1 − m²)(1 − ρ^b)²), is exact for small x; the A B form for x → 1.
            double x = Math.Exp(Math.Log(4) + scaleFactor * logAbsRho - logOneMinusM2 - 2 * logOneMinusRhoB);
            kb = x < 0.5 ? 0.25 * Log1P(-x) : 0.25 * (Math.Log(a) + Math.Log(bb) - logOneMinusM2 - 2 * logOneMinusRhoB);
        }
        double hb = 0.5 * (Math.Log(a) - Math.Log(bb));
        double gb = scaleFactor * IsingSpectrum.LogLambdaPlus(coupling, field)
                    + 0.25 * (Math.Log(a) + Math.Log(bb) + logOneMinusM2 + 2 * logOneMinusRhoB) - Math.Log(2);
        return (kb, hb, gb);
    }

    /// <summary>Reference: T^b by repeated squaring in log space, then K_b, h_b, g_b read off its entries.</summary>
    public static (double Coupling, double Field, double LogScale) StepByMatrixPower(double coupling, double field, int scaleFactor)
    {
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor));
        // Entries indexed [s][s'] with 0 ↔ +1, 1 ↔ −1.
        var t = new double[2, 2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
            {
                double s = i == 0 ? 1 : -1, sp = j == 0 ? 1 : -1;
                t[i, j] = coupling * s * sp + field * (s + sp) / 2;
            }
        double[,]? result = null;
        var power = t;
        for (int e = scaleFactor; e > 0; e >>= 1)
        {
            if ((e & 1) == 1) result = result is null ? power : LogMultiply(result, power);
            power = LogMultiply(power, power);
        }
        var m = result!;
        double kb = 0.25 * (m[0, 0] + m[1, 1] - 2 * m[0, 1]);
        double hb = 0.5 * (m[0, 0] - m[1, 1]);
        double gb = 0.25 * (m[0, 0] + m[1, 1] + 2 * m[0, 1]);
        return (kb, hb, gb);
    }

    /// <summary>
    /// Reference: the b = 2 closed forms of docs/theory.md, "Decimation and its fixed points", with cosh(2K+h) cosh(2K−h) = sinh² 2K + cosh² h
    /// used for K' to keep its digits near K = 0:
    /// K' = ¼ ln(1 + sinh² 2K / cosh² h), h' = h + ½ ln[cosh(2K+h)/cosh(2K−h)],
    /// g' = ¼ ln[16 cosh(2K+h) cosh(2K−h) cosh² h].
    /// </summary>
    public static (double Coupling, double Field, double LogScale) StepClosedFormB2(double coupling, double field)
    {
        double lcp = LogCosh(2 * coupling + field), lcm = LogCosh(2 * coupling - field), lch = LogCosh(field);
        double kp = 0.25 * LogAddExp(0, 2 * LogAbsSinh(2 * coupling) - 2 * lch);
        double hp = field + 0.5 * (lcp - lcm);
        double gp = 0.25 * (Math.Log(16) + lcp + lcm + 2 * lch);
        return (kp, hp, gp);
    }

    /// <summary>The stable fixed point field h* = atanh m(K, h) = asinh(e^{2K} sinh h), overflow-free.</summary>
    public static double FixedPointField(double coupling, double field)
    {
        if (field == 0) return 0.0;
        double logX = 2 * coupling + LogAbsSinh(field);
        return logX < 300 ? Math.Asinh(Math.Sign(field) * Math.Exp(logX)) : Math.Sign(field) * (logX + Math.Log(2));
    }

    /// <inheritdoc />
    protected override ChainParameters StableFixedPointCore(ChainParameters theta0)
    {
        var p = (IsingParameters)theta0;
        return new IsingParameters(0.0, FixedPointField(p.Coupling, p.Field));
    }

    /// <summary>
    /// The unstable fixed point K = ∞, h = 0 (zero temperature, infinite correlation length). In the
    /// coordinates (1 − tanh K, h) the map is (x, h) ↦ (≈ b x, ≈ b h), so both eigenvalues are b:
    /// the Jacobian is taken numerically at K = 12, where corrections are below 1e-9.
    /// </summary>
    public override IReadOnlyList<FixedPointReport> UnstableFixedPoints(int scaleFactor)
    {
        if (scaleFactor < 2) throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"the scale factor b must be >= 2; got b={scaleFactor}.");
        const double k0 = 12;
        double x0 = OneMinusTanh(k0);
        double dx = 1e-3 * x0, dh = 1e-7;
        // x' as a function of (x, h): x ↦ K = atanh(1 − x), decimate, x' = 1 − tanh K_b.
        double Xp(double x, double h) => OneMinusTanh(Step(AtanhOneMinus(x), h, scaleFactor).Coupling);
        double Hp(double x, double h) => Step(AtanhOneMinus(x), h, scaleFactor).Field;
        var j = new double[2, 2]
        {
            { (Xp(x0 + dx, 0) - Xp(x0 - dx, 0)) / (2 * dx), (Xp(x0, dh) - Xp(x0, -dh)) / (2 * dh) },
            { (Hp(x0 + dx, 0) - Hp(x0 - dx, 0)) / (2 * dx), (Hp(x0, dh) - Hp(x0, -dh)) / (2 * dh) },
        };
        string[] coords = ["1 - tanh K", "h"];
        var modes = StabilityAnalysis.Eigenmodes(j);
        return [FixedPointReport.Classify(["K", "h"], [double.PositiveInfinity, 0.0], modes, coords)];
    }

    private static double OneMinusTanh(double k) => 2 * Math.Exp(-2 * k) / (1 + Math.Exp(-2 * k));

    private static double AtanhOneMinus(double x) => 0.5 * Math.Log((2 - x) / x);

    private static double[,] LogMultiply(double[,] a, double[,] b)
    {
        var c = new double[2, 2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                c[i, j] = LogAddExp(a[i, 0] + b[0, j], a[i, 1] + b[1, j]);
        return c;
    }
}
