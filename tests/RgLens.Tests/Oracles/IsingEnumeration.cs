using RgLens.Models;

namespace RgLens.Tests.Oracles;

/// <summary>
/// Brute-force enumeration of all 2^N configurations of a short Ising chain: the independent
/// oracle that the transfer-matrix code is held to. Probabilities are formed relative to the
/// largest weight so that moderate K, h do not overflow.
/// </summary>
internal sealed class IsingEnumeration
{
    public IsingEnumeration(double k, double h, int n, Boundary boundary)
    {
        if (n > 20) throw new ArgumentOutOfRangeException(nameof(n), "enumeration is for N <= 20.");
        N = n;
        int count = 1 << n;
        var logW = new double[count];
        double max = double.NegativeInfinity;
        for (int c = 0; c < count; c++)
        {
            double e = 0;
            for (int i = 0; i < n; i++)
            {
                int s = Spin(c, i);
                e += h * s;
                if (i < n - 1) e += k * s * Spin(c, i + 1);
                else if (boundary == Boundary.Periodic) e += k * s * Spin(c, 0);
            }
            logW[c] = e;
            max = Math.Max(max, e);
        }
        double z = 0;
        Probabilities = new double[count];
        for (int c = 0; c < count; c++) z += Probabilities[c] = Math.Exp(logW[c] - max);
        for (int c = 0; c < count; c++) Probabilities[c] /= z;
        LogZ = max + Math.Log(z);
    }

    public int N { get; }

    public double LogZ { get; }

    /// <summary>P(configuration c), bit i of c set ↔ s_{i+1} = −1.</summary>
    public double[] Probabilities { get; }

    public static int Spin(int config, int site) => ((config >> site) & 1) == 0 ? 1 : -1;

    public double Expect(Func<int, double> f)
    {
        double s = 0;
        for (int c = 0; c < Probabilities.Length; c++) s += Probabilities[c] * f(c);
        return s;
    }

    /// <summary>⟨s_i s_j⟩, sites 1-based.</summary>
    public double Correlation(int i, int j) => Expect(c => Spin(c, i - 1) * Spin(c, j - 1));

    public double SiteMean(int i) => Expect(c => Spin(c, i - 1));

    /// <summary>The decimation kernel T_b(s, s') by summing the b − 1 intermediate spins.</summary>
    public static double[,] DecimatedKernel(double k, double h, int b)
    {
        var t = new double[2, 2];
        for (int a = 0; a < 2; a++)
            for (int e = 0; e < 2; e++)
            {
                int s0 = a == 0 ? 1 : -1, sb = e == 0 ? 1 : -1;
                double sum = 0;
                for (int mid = 0; mid < 1 << (b - 1); mid++)
                {
                    double w = 0;
                    int prev = s0;
                    for (int j = 0; j < b; j++)
                    {
                        int cur = j == b - 1 ? sb : Spin(mid, j);
                        w += k * prev * cur + h * (prev + cur) / 2;
                        prev = cur;
                    }
                    sum += Math.Exp(w);
                }
                t[a, e] = sum;
            }
        return t;
    }
}
