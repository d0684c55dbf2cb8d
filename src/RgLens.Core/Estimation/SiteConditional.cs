using System.Numerics.Tensors;
using MathNet.Numerics;
using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// The single-site log-partition A(η) = ln ∫ ν(x) e^{η·T(x)} dx of a family with its gradient
/// (E T) and Hessian (Cov T): what the pseudo-likelihood needs, since site i given its neighbours
/// is the single-site member with natural parameters η + K m_i e_lin. Closed forms for Bernoulli
/// (ln(1 + e^η)), Poisson (e^η), Gamma (ln Γ(α) − α ln β) and Gaussian; the trapezoid rule on a
/// fixed grid for φ⁴.
/// </summary>
internal abstract class SiteConditional
{
    /// <summary>Fills ∇A (d) and ∇²A (d × d, row-major) at η and returns A; −∞ outside A's domain.</summary>
    public abstract double Evaluate(ReadOnlySpan<double> eta, Span<double> gradient, Span<double> hessian);

    /// <summary>The conditional of <paramref name="family"/>; φ⁴ needs <paramref name="quadrature"/>.</summary>
    public static SiteConditional For(ChainFamily family, QuadratureGrid? quadrature = null) => family switch
    {
        BernoulliFamily => new Bernoulli(),
        PoissonFamily => new Poisson(),
        GammaFamily => new Gamma(),
        GaussianFamily => new Gaussian(),
        IsingFamily => new Ising(),
        Phi4Family => new Quadrature(family, quadrature ?? throw new ArgumentNullException(nameof(quadrature))),
        _ => throw new RgLensException($"no single-site conditional for the {family.Name} family."),
    };

    private sealed class Bernoulli : SiteConditional
    {
        public override double Evaluate(ReadOnlySpan<double> eta, Span<double> g, Span<double> h)
        {
            double s = 1 / (1 + Math.Exp(-eta[0]));
            g[0] = s;
            h[0] = s * (1 - s);
            return Numerics.LogMath.LogAddExp(0, eta[0]);
        }
    }

    private sealed class Ising : SiteConditional
    {
        public override double Evaluate(ReadOnlySpan<double> eta, Span<double> g, Span<double> h)
        {
            double t = Math.Tanh(eta[0]);
            g[0] = t;
            h[0] = 1 - t * t;
            return Numerics.LogMath.LogCosh(eta[0]) + Math.Log(2);
        }
    }

    private sealed class Poisson : SiteConditional
    {
        public override double Evaluate(ReadOnlySpan<double> eta, Span<double> g, Span<double> h)
        {
            double mu = Math.Exp(eta[0]);
            g[0] = mu;
            h[0] = mu;
            return mu;
        }
    }

    /// <summary>η = (α − 1, −β): A = ln Γ(α) − α ln β; ∇A = (ψ(α) − ln β, α/β); ∇²A = [[ψ'(α), 1/β], [1/β, α/β²]].</summary>
    private sealed class Gamma : SiteConditional
    {
        public override double Evaluate(ReadOnlySpan<double> eta, Span<double> g, Span<double> h)
        {
            double alpha = eta[0] + 1, beta = -eta[1];
            if (!(alpha > 0 && beta > 0)) return double.NegativeInfinity;
            double lnBeta = Math.Log(beta);
            g[0] = SpecialFunctions.DiGamma(alpha) - lnBeta;
            g[1] = alpha / beta;
            h[0] = Trigamma(alpha);
            h[1] = h[2] = 1 / beta;
            h[3] = alpha / (beta * beta);
            return SpecialFunctions.GammaLn(alpha) - alpha * lnBeta;
        }

        /// <summary>ψ'(α): the recurrence up to α ≥ 10, then the asymptotic series (next term 5/(66 α¹¹) &lt; 1e-12).</summary>
        private static double Trigamma(double a)
        {
            double sum = 0;
            while (a < 10)
            {
                sum += 1 / (a * a);
                a += 1;
            }
            double inv = 1 / a, inv2 = inv * inv;
            return sum + inv + inv2 / 2 + inv * inv2 * (1.0 / 6 - inv2 * (1.0 / 30 - inv2 * (1.0 / 42 - inv2 / 30)));
        }
    }

    /// <summary>η = (h, −a/2): A = −η_0²/(4η_1) + ½ ln(π/(−η_1)).</summary>
    private sealed class Gaussian : SiteConditional
    {
        public override double Evaluate(ReadOnlySpan<double> eta, Span<double> g, Span<double> h)
        {
            double e0 = eta[0], e1 = eta[1];
            if (!(e1 < 0)) return double.NegativeInfinity;
            double mean = -e0 / (2 * e1), variance = -1 / (2 * e1);
            g[0] = mean;
            g[1] = variance + mean * mean;
            h[0] = variance;
            h[1] = h[2] = 2 * mean * variance;
            h[3] = 2 * variance * variance + 4 * mean * mean * variance;
            return -e0 * e0 / (4 * e1) + 0.5 * Math.Log(Math.PI / -e1);
        }
    }

    /// <summary>The trapezoid rule on a grid: A = ln Σ_j w_j ν(x_j) e^{η·T(x_j)}, moments as weighted sums.</summary>
    private sealed class Quadrature : SiteConditional
    {
        private readonly double[][] _t;      // T_k at the nodes
        private readonly double[][] _tt;     // T_k T_l at the nodes (k ≤ l)
        private readonly double[] _base;     // ln w + ln ν

        public Quadrature(ChainFamily family, QuadratureGrid grid)
        {
            int d = family.StatisticCount, n = grid.Count;
            _t = new double[d][];
            for (int k = 0; k < d; k++) _t[k] = new double[n];
            _base = new double[n];
            var t = new double[d];
            for (int j = 0; j < n; j++)
            {
                family.Statistics(grid.Nodes[j], t);
                for (int k = 0; k < d; k++) _t[k][j] = t[k];
                _base[j] = grid.LogWeights[j] + family.LogBaseMeasure(grid.Nodes[j]);
            }
            _tt = new double[d * d][];
            for (int k = 0; k < d; k++)
                for (int l = k; l < d; l++)
                {
                    var v = new double[n];
                    TensorPrimitives.Multiply(_t[k], _t[l], v);
                    _tt[k * d + l] = v;
                }
        }

        public override double Evaluate(ReadOnlySpan<double> eta, Span<double> g, Span<double> h)
        {
            int d = _t.Length, n = _base.Length;
            Span<double> w = n <= 1024 ? stackalloc double[n] : new double[n];
            _base.CopyTo(w);
            for (int k = 0; k < d; k++) TensorPrimitives.MultiplyAdd(_t[k], eta[k], w, w);
            double max = TensorPrimitives.Max(w);
            TensorPrimitives.Subtract(w, max, w);
            TensorPrimitives.Exp(w, w);
            double z = TensorPrimitives.Sum(w);
            for (int k = 0; k < d; k++) g[k] = TensorPrimitives.Dot(w, _t[k]) / z;
            for (int k = 0; k < d; k++)
                for (int l = k; l < d; l++)
                    h[k * d + l] = h[l * d + k] = TensorPrimitives.Dot(w, _tt[k * d + l]) / z - g[k] * g[l];
            return max + Math.Log(z);
        }
    }
}
