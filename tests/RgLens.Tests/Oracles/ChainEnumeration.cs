using RgLens.Models;

namespace RgLens.Tests.Oracles;

/// <summary>
/// Brute-force sum over every configuration of a short chain of any family, on a fixed list of
/// single-site values with weights: the exact states (spins, occupations), the counts 0 … M, or a
/// fine trapezoid rule on a wide interval written independently of the library's grids. For
/// N = 3–4 sites this is the independent oracle of the transfer-operator code. Sites are 1-based.
/// </summary>
internal sealed class ChainEnumeration
{
    private readonly double[] _probabilities;
    private readonly double[] _values;
    private readonly int _n, _m;

    public ChainEnumeration(ChainParameters p, int n, Boundary boundary, double[] values, double[] weights)
    {
        _n = n;
        _m = values.Length;
        _values = values;
        var family = p.Family;
        double[] eta = p.NaturalParameters();
        var site = new double[_m];
        var t = new double[family.StatisticCount];
        for (int j = 0; j < _m; j++)
        {
            family.Statistics(values[j], t);
            site[j] = Math.Log(weights[j]) + family.LogBaseMeasure(values[j]) + eta.Zip(t, (a, b) => a * b).Sum();
        }
        long count = (long)Math.Pow(_m, n);
        var logW = new double[count];
        var idx = new int[n];
        double k = p.NeighbourCoupling, max = double.NegativeInfinity;
        for (long c = 0; c < count; c++)
        {
            Decode(c, idx);
            double e = 0;
            for (int i = 0; i < n; i++)
            {
                e += site[idx[i]];
                if (i < n - 1) e += k * values[idx[i]] * values[idx[i + 1]];
                else if (boundary == Boundary.Periodic) e += k * values[idx[i]] * values[idx[0]];
            }
            logW[c] = e;
            max = Math.Max(max, e);
        }
        double z = 0;
        _probabilities = new double[count];
        for (long c = 0; c < count; c++) z += _probabilities[c] = Math.Exp(logW[c] - max);
        for (long c = 0; c < count; c++) _probabilities[c] /= z;
        LogZ = max + Math.Log(z);
    }

    public double LogZ { get; }

    /// <summary>⟨f(x_1, …, x_N)⟩.</summary>
    public double Expect(Func<int[], double> f)
    {
        var idx = new int[_n];
        double s = 0;
        for (long c = 0; c < _probabilities.Length; c++)
        {
            if (_probabilities[c] == 0) continue;
            Decode(c, idx);
            s += _probabilities[c] * f(idx);
        }
        return s;
    }

    public double Value(int[] idx, int site) => _values[idx[site - 1]];

    public double Moment(int i, int j) => Expect(idx => Value(idx, i) * Value(idx, j));

    public double Mean(int i) => Expect(idx => Value(idx, i));

    /// <summary>The trapezoid rule with <paramref name="points"/> nodes on [lo, hi].</summary>
    public static (double[] Values, double[] Weights) Trapezoid(double lo, double hi, int points)
    {
        double h = (hi - lo) / (points - 1);
        var x = Enumerable.Range(0, points).Select(i => lo + i * h).ToArray();
        var w = Enumerable.Repeat(h, points).ToArray();
        return (x, w);
    }

    /// <summary>The trapezoid rule in t = ln x on [lo, hi] (weights h·x).</summary>
    public static (double[] Values, double[] Weights) LogTrapezoid(double lo, double hi, int points)
    {
        var (t, w) = Trapezoid(lo, hi, points);
        return (t.Select(Math.Exp).ToArray(), t.Zip(w, (ti, wi) => wi * Math.Exp(ti)).ToArray());
    }

    private void Decode(long c, int[] idx)
    {
        for (int i = 0; i < _n; i++)
        {
            idx[i] = (int)(c % _m);
            c /= _m;
        }
    }
}
