using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Sampling;

/// <summary>
/// The precomputed conditionals of exact forward sampling for one Ising chain (docs/theory.md, "Transfer matrices and exact oracles").
/// Backward messages β_i(s) = ln Σ over the sites beyond i, formed by a log-space recursion (no
/// cancellation at any K or h), give P(s_{j+1} flips | s_j) for every bond j; a ring conditions
/// on s_1 through β_{N+1}(s) = δ(s, s_1), which is T^{N+1−i}(s, s_1) in matrix form.
/// Probabilities are stored as 64-bit thresholds: an event of probability p happens when a
/// uniform 64-bit word u satisfies u &lt; ⌊p · 2⁶⁴⌋, so the sampler is exact to 2⁻⁶⁴.
/// </summary>
internal sealed class IsingSamplingPlan
{
    public const int BlockBits = 64;

    private readonly ulong[] _flipAfterPlus;  // [column * N + j]: flip threshold of bond j when s_j = +1 (0 at j = 0)
    private readonly ulong[] _flipAfterMinus; // [column * N + j]: the same when s_j = −1
    private readonly ulong[] _blockThreshold; // [column * blocks + b]
    private readonly bool[] _blockUniform;

    private IsingSamplingPlan(int length, bool periodic, ulong firstSitePlus, ulong[] flipAfterPlus, ulong[] flipAfterMinus, ulong[] blockThreshold, bool[] blockUniform)
    {
        _flipAfterPlus = flipAfterPlus;
        _flipAfterMinus = flipAfterMinus;
        Length = length;
        Periodic = periodic;
        FirstSitePlus = firstSitePlus;
        _blockThreshold = blockThreshold;
        _blockUniform = blockUniform;
    }

    /// <summary>N.</summary>
    public int Length { get; }

    /// <summary>Whether the chain is a ring (two conditioning columns, one per value of s_1).</summary>
    public bool Periodic { get; }

    /// <summary>Number of 64-bond blocks per row.</summary>
    public int Blocks => (Length + BlockBits - 1) / BlockBits;

    /// <summary>s_1 = +1 iff u_0 &lt; this threshold.</summary>
    public ulong FirstSitePlus { get; }

    /// <summary>Bond j (1 ≤ j &lt; N) flips the spin when u_j &lt; this threshold, given column and previous spin.</summary>
    public ulong Flip(int column, int j, int previousIsMinus) =>
        (previousIsMinus == 0 ? _flipAfterPlus : _flipAfterMinus)[(long)column * Length + j];

    /// <summary>The flip thresholds of bonds j after a +1 spin, for one column (index j; entry 0 unused, 0).</summary>
    public ReadOnlySpan<ulong> FlipsAfterPlus(int column) => _flipAfterPlus.AsSpan(column * Length, Length);

    /// <summary>The flip thresholds of bonds j after a −1 spin, for one column (index j; entry 0 unused, 0).</summary>
    public ReadOnlySpan<ulong> FlipsAfterMinus(int column) => _flipAfterMinus.AsSpan(column * Length, Length);

    /// <summary>Whether every bond in block b has one flip threshold, whatever the previous spin.</summary>
    public bool IsUniform(int column, int block) => _blockUniform[column * Blocks + block];

    /// <summary>The common flip threshold of a uniform block.</summary>
    public ulong UniformThreshold(int column, int block) => _blockThreshold[column * Blocks + block];

    /// <summary>Builds the plan for an Ising chain model.</summary>
    public static IsingSamplingPlan Build(ChainModel model, IsingParameters p)
    {
        int n = model.Length;
        bool periodic = model.Boundary == Boundary.Periodic;
        int columns = periodic ? 2 : 1;
        double k = p.Coupling, h = p.Field;
        var flipPlus = new ulong[(long)columns * n];
        var flipMinus = new ulong[(long)columns * n];
        var firstSiteLog = new double[2]; // ln P(s_1 = +1), ln P(s_1 = −1) up to a constant
        var beta = new double[2];
        var next = new double[2];
        for (int c = 0; c < columns; c++)
        {
            double s1 = c == 0 ? 1 : -1;
            // β at site N+1 (ring: the return to s_1) or at site N (open: the end weight e^{h s/2}).
            int top;
            if (periodic)
            {
                beta[0] = s1 == 1 ? 0 : double.NegativeInfinity;
                beta[1] = s1 == -1 ? 0 : double.NegativeInfinity;
                top = n + 1;
            }
            else
            {
                beta[0] = h / 2;
                beta[1] = -h / 2;
                top = n;
            }
            double totalShift = 0;
            for (int i = top; i >= 2; i--)
            {
                // beta holds β_i; the bond j = i − 1 samples site i from site i − 1.
                if (i <= n)
                {
                    int j = i - 1;
                    for (int prev = 0; prev < 2; prev++)
                    {
                        double sp = prev == 0 ? 1 : -1;
                        double same = LogT(k, h, sp, sp) + beta[prev];
                        double other = LogT(k, h, sp, -sp) + beta[1 - prev];
                        (prev == 0 ? flipPlus : flipMinus)[(long)c * n + j] = Threshold(Logistic(other - same));
                    }
                }
                for (int s = 0; s < 2; s++)
                {
                    double sv = s == 0 ? 1 : -1;
                    next[s] = LogMath.LogAddExp(LogT(k, h, sv, 1) + beta[0], LogT(k, h, sv, -1) + beta[1]);
                }
                // Conditionals are invariant to a common shift of β; keeping β = O(1) keeps the
                // rounding of the thresholds independent of the position along the chain.
                double shift = Math.Max(next[0], next[1]);
                (beta[0], beta[1]) = (next[0] - shift, next[1] - shift);
                totalShift += shift;
            }
            // beta + totalShift now holds β_1; the two columns of a ring are compared through it.
            if (periodic) firstSiteLog[c] = beta[c] + totalShift;
            else
            {
                firstSiteLog[0] = h / 2 + beta[0];
                firstSiteLog[1] = -h / 2 + beta[1];
            }
        }
        ulong first = Threshold(Logistic(firstSiteLog[0] - firstSiteLog[1]));

        int blocks = (n + BlockBits - 1) / BlockBits;
        var uniform = new bool[columns * blocks];
        var thresholds = new ulong[columns * blocks];
        for (int c = 0; c < columns; c++)
            for (int b = 0; b < blocks; b++)
            {
                int lo = Math.Max(1, b * BlockBits), hi = Math.Min(n - 1, b * BlockBits + BlockBits - 1);
                bool ok = true;
                ulong f = lo <= hi ? flipPlus[(long)c * n + lo] : 0;
                for (int j = lo; j <= hi && ok; j++)
                    ok = flipPlus[(long)c * n + j] == f && flipMinus[(long)c * n + j] == f;
                uniform[c * blocks + b] = ok;
                thresholds[c * blocks + b] = f;
            }
        return new IsingSamplingPlan(n, periodic, first, flipPlus, flipMinus, thresholds, uniform);
    }

    private static double LogT(double k, double h, double s, double t) => k * s * t + h * (s + t) / 2;

    /// <summary>1 / (1 + e^{−z}) without overflow.</summary>
    private static double Logistic(double z)
    {
        if (double.IsNaN(z)) throw new InvalidOperationException("sampling plan produced NaN.");
        return z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
    }

    /// <summary>⌊p · 2⁶⁴⌋, clamped to the representable range.</summary>
    internal static ulong Threshold(double p)
    {
        if (p <= 0) return 0;
        double scaled = p * 18446744073709551616.0;
        return scaled >= 18446744073709551615.0 ? ulong.MaxValue : (ulong)scaled;
    }
}
