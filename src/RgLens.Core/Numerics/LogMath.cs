namespace RgLens.Numerics;

/// <summary>
/// Log-space arithmetic used by every partition function in RgLens: sums of
/// exponentials are formed by subtracting the maximum first, so that nothing overflows for large
/// couplings, fields or chain lengths.
/// </summary>
public static class LogMath
{
    /// <summary>ln(e^a + e^b), exact to rounding for any finite or infinite a, b.</summary>
    public static double LogAddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double max = Math.Max(a, b);
        if (double.IsPositiveInfinity(max)) return max;
        return max + Log1P(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>ln Σ e^{x_i}; returns −∞ for an empty span.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) max = Math.Max(max, v);
        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max)) return max;
        double sum = 0;
        foreach (double v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    /// <summary>ln cosh x without overflow: |x| + ln(1 + e^{−2|x|}) − ln 2.</summary>
    public static double LogCosh(double x)
    {
        double a = Math.Abs(x);
        return a + Log1P(Math.Exp(-2 * a)) - Math.Log(2);
    }

    /// <summary>ln |sinh x| without overflow; −∞ at x = 0.</summary>
    public static double LogAbsSinh(double x)
    {
        double a = Math.Abs(x);
        if (a == 0) return double.NegativeInfinity;
        return a + Log1P(-Math.Exp(-2 * a)) - Math.Log(2);
    }

    /// <summary>ln(1 + x), accurate for small |x| (the BCL's double.LogP1 is the naive ln(1 + x)).</summary>
    public static double Log1P(double x)
    {
        // The classic correction: u = 1 + x rounded; ln(u) · x / (u − 1) restores the lost bits.
        double u = 1.0 + x;
        if (u == 1.0) return x;
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>e^x − 1, accurate for small |x|.</summary>
    public static double ExpM1(double x)
    {
        // Kahan's trick (the BCL's double.ExpM1 is the naive e^x − 1): with u = e^x rounded,
        // (u − 1) · x / ln u is accurate to a few ulps.
        if (Math.Abs(x) >= 0.5) return Math.Exp(x) - 1.0;
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        return um1 * x / Math.Log(u);
    }

    /// <summary>ln(e^a − e^b) for a ≥ b; −∞ when a = b.</summary>
    public static double LogSubExp(double a, double b)
    {
        if (b > a) throw new ArgumentException($"LogSubExp needs a >= b; got a={a}, b={b}.");
        if (a == b) return double.NegativeInfinity;
        return a + Log1P(-Math.Exp(b - a));
    }
}
