using System.Runtime.Intrinsics;
using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics;
using RgLens.Data;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Estimation;

/// <summary>
/// Maximum likelihood for an Ising chain with one coupling K and a field h_j per site:
/// P(y) ∝ exp(K Σ_bonds y_j y_{j+1} + Σ_j h_j y_j), y_j = ±1, with bonds (j, j+1) and, on a ring,
/// (M−1, 0); a ring of two sites counts two bonds between them, as elsewhere in RgLens.
/// The mean log-likelihood ℓ = K c + Σ_j h_j m_j − ln Z depends on the data only through the site
/// means m_j and the mean bond sum c. ln Z and the model moments come from products of 2×2
/// transfer matrices, rescaled as they go so that large parameters neither overflow nor underflow.
/// </summary>
/// <remarks>
/// Both models (one shared field, or one field per site) maximize ℓ − (ε/2)(K² + Σ_j h_j²) with
/// ε = <see cref="Ridge"/>, by Newton's method with a backtracking line search (the objective is
/// concave). The ridge moves interior estimates by about ε θ / Var(statistic), usually far below
/// 1e-6 (a few 1e-6 only where a statistic hardly varies, e.g. a strongly coupled 2-site ring), but keeps them finite when
/// the unpenalized maximum is at infinity: a site that is +1 in every sample gets a large finite
/// field (about 6–7) instead of +∞. The likelihood-ratio test of equal fields treats the rows as
/// independent samples and uses the large-sample χ² approximation to the ratio's distribution;
/// correlated rows (an unthinned Markov chain, say) make its p-value too small.
/// </remarks>
public static class IsingFieldChain
{
    /// <summary>The ridge ε in the penalty (ε/2)(K² + Σ_j h_j²).</summary>
    public const double Ridge = 1e-6;

    private const double GradientTolerance = 1e-10;
    private const int MaxIterations = 200;
    private const double CouplingStep = 1e-5;
    private const double StartFieldLimit = 7;

    /// <summary>Above this many sites the per-unit model's bootstrap takes one Newton step per replicate instead of a full refit.</summary>
    public const int OneStepAbove = 64;

    /// <summary>
    /// Fits both models to <paramref name="y"/> (rows = samples, columns = sites, values ±1), tests
    /// equal fields by the likelihood ratio and takes bootstrap standard errors from
    /// <paramref name="replicates"/> resamples of the rows (of blocks of rows beyond 4096 rows: <see cref="Bootstrap.Blocks"/>).
    /// </summary>
    /// <exception cref="DataFormatException">Fewer than two columns, no rows, or a value other than ±1.</exception>
    public static IsingFieldReading Read(SampleMatrix<sbyte> y, Boundary boundary, int replicates, ulong seed, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegative(replicates);
        CheckBoundary(boundary);
        if (y.Columns < 2) throw new DataFormatException($"Ising field reading needs at least 2 columns (sites); got {y.Columns}.");
        if (y.Rows < 1) throw new DataFormatException("Ising field reading needs at least one row (sample); got none.");
        int n = y.Rows, sites = y.Columns;
        var data = y.Data;
        // One pass over the rows: check ±1, count each row's bonds, add the row to its bootstrap
        // block's column sums (Bootstrap.Blocks: one row per block up to 4096 rows) held as ints
        // padded to a whole number of vectors; the column sums are the blocks' sums.
        int width = Vector<int>.Count;
        int stride = (sites + width - 1) / width * width;
        var starts = Bootstrap.Blocks(n);
        int blocks = starts.Length - 1;
        // Pooled: 16 MB for 100,000 samples × 1024 units, asked for by every binary reading of every
        // layer; fresh memory costs page faults on first touch (ScratchArrays explains), reused memory does not.
        int paddedLength = checked(blocks * stride);
        var padded = System.Buffers.ArrayPool<int>.Shared.Rent(paddedLength);
        Array.Clear(padded, 0, paddedLength);
        try
        {
            return ReadPooled(y, boundary, replicates, seed, cancellation, n, sites, stride, starts, blocks, padded);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(padded);
        }
    }

    private static IsingFieldReading ReadPooled(SampleMatrix<sbyte> y, Boundary boundary, int replicates, ulong seed, CancellationToken cancellation,
        int n, int sites, int stride, int[] starts, int blocks, int[] padded)
    {
        var blockBonds = new long[blocks];
        for (int bl = 0; bl < blocks; bl++)
        {
            var sums = padded.AsSpan((int)((long)bl * stride), stride);
            for (int r = starts[bl]; r < starts[bl + 1]; r++)
            {
                var row = y.Row(r);
                if (!RowStatistics.AllSpins(row))
                {
                    int j = 0;
                    while (row[j] is 1 or -1) j++;
                    throw new DataFormatException($"Ising field reading needs values ±1; row {r + 1}, column {j + 1} is {row[j]}.");
                }
                blockBonds[bl] += RowStatistics.BondSum(row, boundary == Boundary.Periodic);
                RowStatistics.AddTo(sums, row);
            }
        }
        var columnSums = new long[sites];
        long bondTotal = 0;
        for (int bl = 0; bl < blocks; bl++)
        {
            bondTotal += blockBonds[bl];
            var sums = padded.AsSpan((int)((long)bl * stride), sites);
            for (int j = 0; j < sites; j++) columnSums[j] += sums[j];
        }
        var m = new double[sites];
        for (int j = 0; j < sites; j++) m[j] = columnSums[j] / (double)n;
        double c = bondTotal / (double)n;

        var homogeneous = new Problem(sites, boundary, homogeneous: true);
        var perUnit = new Problem(sites, boundary, homogeneous: false);
        var homFit = homogeneous.Fit(m, c, null, out var homPoint);
        var unitFit = perUnit.Fit(m, c, null, out var unitPoint);
        double lr = Math.Max(0, 2.0 * n * (unitFit.MeanLogLikelihood - homFit.MeanLogLikelihood));
        int df = sites - 1;
        // The upper tail directly (not 1 − CDF), so that small p-values keep their precision.
        double p = lr > 0 ? SpecialFunctions.GammaUpperRegularized(df / 2.0, lr / 2) : 1.0;

        double seK = double.NaN, seH = double.NaN, seUnitK = double.NaN;
        if (replicates >= 2)
        {
            var homK = new double[replicates];
            var homH = new double[replicates];
            var unitK = new double[replicates];
            var acc = new int[stride];
            var rm = new double[sites];
            // Wide layers: each replicate's per-unit K by one Newton step from the point estimate
            // (the gradient there is the change of the statistics; the Hessian is the point
            // estimate's), O(M) instead of a refit with an O(M³) factorization per iteration. The
            // one-step bootstrap agrees with full refits to first order in 1/√n.
            double[]? oneStep = sites > OneStepAbove ? perUnit.CouplingRowOfInverse(m, c, unitPoint) : null;
            for (int rep = 0; rep < replicates; rep++)
            {
                cancellation.ThrowIfCancellationRequested();
                var rng = RandomStream.For(seed, "ising-field-bootstrap", rep);
                Array.Clear(acc);
                var sums = MemoryMarshal.Cast<int, Vector<int>>(acc.AsSpan());
                long bsum = 0, drawn = 0;
                for (int draw = 0; draw < blocks; draw++)
                {
                    int bl = rng.NextInt(blocks);
                    bsum += blockBonds[bl];
                    drawn += starts[bl + 1] - starts[bl];
                    var row = MemoryMarshal.Cast<int, Vector<int>>(padded.AsSpan((int)((long)bl * stride), stride));
                    for (int v = 0; v < sums.Length; v++) sums[v] += row[v];
                }
                for (int j = 0; j < sites; j++) rm[j] = acc[j] / (double)drawn;
                double rc = bsum / (double)drawn;
                var h = homogeneous.Fit(rm, rc, homPoint, out _);
                homK[rep] = h.Coupling;
                homH[rep] = h.Fields[0];
                if (oneStep is not null)
                {
                    double dk = oneStep[0] * (rc - c);
                    for (int j = 0; j < sites; j++) dk += oneStep[1 + j] * (rm[j] - m[j]);
                    unitK[rep] = unitFit.Coupling + dk;
                }
                else
                {
                    unitK[rep] = perUnit.Fit(rm, rc, unitPoint, out _).Coupling;
                }
            }
            seK = Bootstrap.StandardDeviation(homK);
            seH = Bootstrap.StandardDeviation(homH);
            seUnitK = Bootstrap.StandardDeviation(unitK);
        }
        return new IsingFieldReading(homFit, unitFit, lr, df, p, seK, seH, seUnitK, m, n);
    }

    /// <summary>The per-row pass of <see cref="Read"/>, vectorized, each beside its plain loop (the <c>*Reference</c> methods the tests compare with).</summary>
    internal static class RowStatistics
    {
        /// <summary>Whether every value is +1 or −1.</summary>
        public static bool AllSpins(ReadOnlySpan<sbyte> row)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= row.Length - 32; j += 32)
                    if (!Vector256.EqualsAll(Vector256.Abs(Vector256.Create(row.Slice(j, 32))), Vector256<sbyte>.One)) return false;
            for (; j < row.Length; j++)
                if (row[j] is not (1 or -1)) return false;
            return true;
        }

        /// <summary>Σ_j y_j y_{j+1} (and y_{M−1} y_0 on a ring) of a ±1 row: (bonds) − 2 · (bonds whose ends differ).</summary>
        public static int BondSum(ReadOnlySpan<sbyte> row, bool ring)
        {
            int m = row.Length, j = 0, differ = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= m - 33; j += 32)
                    differ += BitOperations.PopCount(~Vector256.Equals(Vector256.Create(row.Slice(j, 32)), Vector256.Create(row.Slice(j + 1, 32))).ExtractMostSignificantBits());
            for (; j < m - 1; j++) differ += row[j] != row[j + 1] ? 1 : 0;
            int bonds = m - 1;
            if (ring) { bonds++; differ += row[m - 1] != row[0] ? 1 : 0; }
            return bonds - 2 * differ;
        }

        /// <summary>sums[j] += row[j] (sums at least as long as the row).</summary>
        public static void AddTo(Span<int> sums, ReadOnlySpan<sbyte> row)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= row.Length - 32; j += 32)
                {
                    var (lo, hi) = Vector256.Widen(Vector256.Create(row.Slice(j, 32)));
                    var (a, b) = Vector256.Widen(lo);
                    var (c, d) = Vector256.Widen(hi);
                    (Vector256.Create<int>(sums.Slice(j, 8)) + a).CopyTo(sums.Slice(j, 8));
                    (Vector256.Create<int>(sums.Slice(j + 8, 8)) + b).CopyTo(sums.Slice(j + 8, 8));
                    (Vector256.Create<int>(sums.Slice(j + 16, 8)) + c).CopyTo(sums.Slice(j + 16, 8));
                    (Vector256.Create<int>(sums.Slice(j + 24, 8)) + d).CopyTo(sums.Slice(j + 24, 8));
                }
            for (; j < row.Length; j++) sums[j] += row[j];
        }

        /// <summary>The plain loop of <see cref="BondSum"/>.</summary>
        public static int BondSumReference(ReadOnlySpan<sbyte> row, bool ring)
        {
            int b = 0;
            for (int j = 0; j < row.Length - 1; j++) b += row[j] * row[j + 1];
            if (ring) b += row[^1] * row[0];
            return b;
        }
    }

    /// <summary>The fit with one field shared by all sites, from the site means <paramref name="m"/> and the mean bond sum <paramref name="c"/>.</summary>
    public static IsingFieldFit FitHomogeneous(ReadOnlySpan<double> m, double c, Boundary boundary) =>
        FitFromStatistics(m, c, boundary, homogeneous: true);

    /// <summary>The fit with a free field per site, from the site means <paramref name="m"/> and the mean bond sum <paramref name="c"/>.</summary>
    public static IsingFieldFit FitPerUnit(ReadOnlySpan<double> m, double c, Boundary boundary) =>
        FitFromStatistics(m, c, boundary, homogeneous: false);

    /// <summary>ln Z(K, h_1 … h_M) for the chain with the given coupling and site fields (M ≥ 2).</summary>
    public static double LogPartition(double coupling, ReadOnlySpan<double> fields, Boundary boundary)
    {
        CheckBoundary(boundary);
        if (fields.Length < 2) throw new ArgumentException($"The chain needs at least 2 sites; got {fields.Length}.", nameof(fields));
        return new Chain(fields.Length, boundary).Moments(coupling, fields, moments: false);
    }

    private static IsingFieldFit FitFromStatistics(ReadOnlySpan<double> m, double c, Boundary boundary, bool homogeneous)
    {
        CheckBoundary(boundary);
        if (m.Length < 2) throw new ArgumentException($"The chain needs at least 2 sites; got {m.Length}.", nameof(m));
        return new Problem(m.Length, boundary, homogeneous).Fit(m.ToArray(), c, null, out _);
    }

    private static void CheckBoundary(Boundary boundary)
    {
        if (boundary is not (Boundary.Open or Boundary.Periodic))
            throw new ArgumentOutOfRangeException(nameof(boundary), boundary, "Unknown boundary.");
    }

    /// <summary>The penalized objective of one model, its gradient and Hessian, and its maximization.</summary>
    private sealed class Problem
    {
        private readonly Chain _chain;
        private readonly int _sites;
        private readonly bool _homogeneous;
        private readonly double[] _fields;
        private readonly double[] _cov;
        private readonly double[] _meansPlus;
        private readonly double[] _meansMinus;
        private readonly double[] _hess;
        private double[] _m = [];
        private double _c;
        private readonly double[] _stateAt;
        private bool _stateValid;
        private double _lastLogZ;

        public Problem(int sites, Boundary boundary, bool homogeneous)
        {
            _sites = sites;
            _homogeneous = homogeneous;
            _chain = new Chain(sites, boundary);
            _fields = new double[sites];
            _cov = new double[sites * sites];
            _meansPlus = new double[sites];
            _meansMinus = new double[sites];
            _hess = new double[Dimension * Dimension];
            _stateAt = new double[Dimension];
        }

        private int Dimension => _homogeneous ? 2 : _sites + 1;

        /// <summary>Maximizes from <paramref name="start"/> (or the independent-site guess) and returns the fit and its argmax.</summary>
        public IsingFieldFit Fit(double[] m, double c, double[]? start, out double[] argmax)
        {
            _m = m;
            _c = c;
            int d = Dimension;
            if (start is null)
            {
                start = new double[d];
                if (_homogeneous) start[1] = StartField(m.Average());
                else for (int j = 0; j < _sites; j++) start[1 + j] = StartField(m[j]);
            }
            var result = Maximize(start);
            argmax = result.Argmax;
            SetFields(argmax);
            double logZ = _chain.Moments(argmax[0], _fields, moments: false);
            double ll = argmax[0] * c - logZ;
            for (int j = 0; j < _sites; j++) ll += _fields[j] * m[j];
            double[] fields = _homogeneous ? [argmax[1]] : argmax[1..];
            return new IsingFieldFit(argmax[0], fields, ll, result.Converged);
        }

        /// <summary>Row 0 of (−H)⁻¹ at <paramref name="at"/>: how K moves per unit change of each statistic (c, m_1 … m_M).</summary>
        public double[] CouplingRowOfInverse(double[] m, double c, double[] at)
        {
            _m = m;
            _c = c;
            int d = Dimension;
            var h = new double[d * d];
            Hessian(at, h);
            var e0 = new double[d];
            e0[0] = 1;
            var row = new double[d];
            return NewtonStep(h, e0, row, d) ? row : Enumerable.Repeat(double.NaN, d).ToArray();
        }

        /// <summary>
        /// Newton's method with a backtracking line search (halving until the objective does not
        /// decrease, up to rounding); the Newton system is solved by Cholesky of −H, which the ridge
        /// keeps positive definite. Converged when the gradient's Euclidean norm is below 1e-10.
        /// </summary>
        private (double[] Argmax, bool Converged) Maximize(double[] start)
        {
            int d = Dimension;
            var x = (double[])start.Clone();
            var g = new double[d];
            var trial = new double[d];
            var gTry = new double[d];
            var step = new double[d];
            double f = ValueAndGradient(x, g);
            if (!double.IsFinite(f)) return (x, false);
            for (int it = 0; it < MaxIterations; it++)
            {
                if (Norm(g) < GradientTolerance) return (x, true);
                Hessian(x, _hess);
                if (!NewtonStep(_hess, g, step, d)) Array.Copy(g, step, d);
                double t = 1;
                double fTry;
                while (true)
                {
                    for (int i = 0; i < d; i++) trial[i] = x[i] + t * step[i];
                    fTry = ValueAndGradient(trial, gTry);
                    if (fTry >= f - 1e-12 * Math.Abs(f)) break;
                    t *= 0.5;
                    if (t < 1e-10) return (x, false);
                }
                (x, trial) = (trial, x);
                (g, gTry) = (gTry, g);
                f = fTry;
            }
            return (x, Norm(g) < GradientTolerance);
        }

        /// <summary>Solves (−H) step = g by an in-place Cholesky factorization of −H (overwriting h); false when −H is not positive definite.</summary>
        private static bool NewtonStep(double[] h, double[] g, double[] step, int d)
        {
            for (int i = 0; i < d * d; i++) h[i] = -h[i];
            if (!Cholesky.Factor(h, d)) return false;
            Cholesky.Solve(h, d, g, step);
            return double.IsFinite(Norm(step));
        }

        private static double Norm(double[] v)
        {
            double s = 0;
            foreach (double x in v) s += x * x;
            return Math.Sqrt(s);
        }

        private static double StartField(double mean) => Math.Clamp(Math.Atanh(Math.Clamp(mean, -1, 1)), -StartFieldLimit, StartFieldLimit);

        private void SetFields(double[] x)
        {
            if (_homogeneous) Array.Fill(_fields, x[1]);
            else Array.Copy(x, 1, _fields, 0, _sites);
        }

        private double ValueAndGradient(double[] x, double[] g)
        {
            double k = x[0];
            SetFields(x);
            double logZ = _chain.Moments(k, _fields, moments: true);
            Array.Copy(x, _stateAt, x.Length);
            _stateValid = true;
            _lastLogZ = logZ;
            if (!double.IsFinite(logZ)) return double.NegativeInfinity;
            double value = k * _c - logZ - 0.5 * Ridge * k * k;
            g[0] = _c - _chain.BondMean - Ridge * k;
            var mu = _chain.Means;
            if (_homogeneous) g[1] = 0;
            for (int j = 0; j < _sites; j++)
            {
                double h = _fields[j];
                value += h * _m[j] - 0.5 * Ridge * h * h;
                if (_homogeneous) g[1] += _m[j] - mu[j] - Ridge * h;
                else g[1 + j] = _m[j] - mu[j] - Ridge * h;
            }
            return value;
        }

        /// <summary>
        /// −Cov of the statistics minus the ridge: the site–site block exactly from pair moments,
        /// the coupling row by central differences of the exact moments in K.
        /// </summary>
        private void Hessian(double[] x, double[] hess)
        {
            double k = x[0];
            SetFields(x);
            if (!_stateValid || !_stateAt.AsSpan().SequenceEqual(x) || !double.IsFinite(_lastLogZ))
                _chain.Moments(k, _fields, moments: true);
            if (!_homogeneous) _chain.SiteCovariance(_cov);
            double dk = CouplingStep * Math.Max(1, Math.Abs(k));
            _chain.Moments(k + dk, _fields, moments: true);
            double bondPlus = _chain.BondMean;
            Array.Copy(_chain.Means, _meansPlus, _sites);
            _chain.Moments(k - dk, _fields, moments: true);
            double bondMinus = _chain.BondMean;
            Array.Copy(_chain.Means, _meansMinus, _sites);
            _stateValid = false; // the chain's state is no longer at x
            double kk = -(bondPlus - bondMinus) / (2 * dk) - Ridge;
            int n = _sites;
            if (_homogeneous)
            {
                double kh = 0;
                for (int i = 0; i < n; i++) kh -= (_meansPlus[i] - _meansMinus[i]) / (2 * dk);
                // −Var(Σ_j y_j) = −d⟨Σ_j y_j⟩/dh by central differences in the common field: O(M)
                // per Newton step instead of the O(M²) pair moments, which the bootstrap would pay
                // on every replicate.
                double dh = CouplingStep * Math.Max(1, Math.Abs(x[1]));
                Array.Fill(_fields, x[1] + dh);
                _chain.Moments(k, _fields, moments: true);
                double sumPlus = _chain.Means.Sum();
                Array.Fill(_fields, x[1] - dh);
                _chain.Moments(k, _fields, moments: true);
                double sumMinus = _chain.Means.Sum();
                hess[0] = kk;
                hess[1] = hess[2] = kh;
                hess[3] = -(sumPlus - sumMinus) / (2 * dh) - Ridge * n;
                return;
            }
            int d = n + 1;
            hess[0] = kk;
            for (int i = 0; i < n; i++)
            {
                hess[1 + i] = hess[(1 + i) * d] = -(_meansPlus[i] - _meansMinus[i]) / (2 * dk);
                for (int j = 0; j < n; j++) hess[(1 + i) * d + 1 + j] = -_cov[i * n + j] - (i == j ? Ridge : 0);
            }
        }
    }

    /// <summary>
    /// ln Z = ln tr(G_0 G_1 ⋯ G_{M−1}) with G_j = D_j T (D_j = diag(e^{h_j}, e^{−h_j}), T the bond
    /// matrix e^{K s s'}), except that on an open chain the last factor is D_{M−1} J (J all ones) so
    /// that the trace becomes the sum over both ends. Moments insert S = diag(1, −1) between factors:
    /// ⟨y_j⟩ = tr(F_j S R_j)/Z with F_j = G_0⋯G_{j−1} and R_j = G_j⋯G_{M−1}. Each G is stored divided
    /// by e^{|h_j| + |K|} (so its largest entry is 1); a prefix or suffix product is divided by its
    /// largest entry whenever that leaves [1e-30, 1e30], and the log of the divisor kept for ln Z.
    /// </summary>
    private sealed class Chain
    {
        private readonly int _n;
        private readonly bool _ring;
        private readonly double[] _g;   // 4 per factor, row-major
        private readonly double[] _f;   // normalized prefixes F_0 … F_M
        private readonly double[] _r;   // normalized suffixes R_0 … R_M
        private const double Tiny = 1e-30, Huge = 1e30;

        public Chain(int sites, Boundary boundary)
        {
            _n = sites;
            _ring = boundary == Boundary.Periodic;
            _g = new double[4 * sites];
            _f = new double[4 * (sites + 1)];
            _r = new double[4 * (sites + 1)];
            Means = new double[sites];
        }

        /// <summary>⟨y_j⟩ at the last <see cref="Moments"/> call made with moments = true.</summary>
        public double[] Means { get; }

        /// <summary>⟨Σ_bonds y_j y_{j+1}⟩ at the last <see cref="Moments"/> call made with moments = true.</summary>
        public double BondMean { get; private set; }

        /// <summary>Builds the factors and products at (K, h) and returns ln Z; fills the moments when asked.</summary>
        public double Moments(double k, ReadOnlySpan<double> h, bool moments)
        {
            int n = _n;
            double ak = Math.Abs(k);
            double tiedK = Math.Exp(-2 * ak);
            double tDiag = k >= 0 ? 1 : tiedK, tOff = k >= 0 ? tiedK : 1;
            double scale = 0;
            for (int j = 0; j < n; j++)
            {
                double a = Math.Abs(h[j]);
                double e = Math.Exp(-2 * a);
                double up = h[j] >= 0 ? 1 : e, down = h[j] >= 0 ? e : 1;
                var g = _g.AsSpan(4 * j, 4);
                if (j < n - 1 || _ring)
                {
                    g[0] = up * tDiag; g[1] = up * tOff;
                    g[2] = down * tOff; g[3] = down * tDiag;
                    scale += a + ak;
                }
                else
                {
                    g[0] = g[1] = up;
                    g[2] = g[3] = down;
                    scale += a;
                }
            }
            // Prefixes. Every factor has largest entry 1, so a product can shrink fast (large fields)
            // but grow at most twofold per step; it is rescaled only when it gets small or large.
            _f[0] = 1; _f[1] = 0; _f[2] = 0; _f[3] = 1;
            for (int j = 0; j < n; j++)
            {
                double mx = Multiply(_f, 4 * j, _g, 4 * j, _f, 4 * (j + 1));
                if (mx < Tiny || mx > Huge)
                {
                    Scale(_f, 4 * (j + 1), 1 / mx);
                    scale += Math.Log(mx);
                }
            }
            double logZ = Math.Log(_f[4 * n] + _f[4 * n + 3]) + scale;
            if (!moments) return logZ;
            // Suffixes (their scale factors cancel in every ratio below).
            _r[4 * n] = 1; _r[4 * n + 1] = 0; _r[4 * n + 2] = 0; _r[4 * n + 3] = 1;
            for (int j = n - 1; j >= 0; j--)
            {
                double mx = Multiply(_g, 4 * j, _r, 4 * (j + 1), _r, 4 * j);
                if (mx < Tiny || mx > Huge) Scale(_r, 4 * j, 1 / mx);
            }
            for (int j = 0; j < n; j++)
            {
                int fj = 4 * j;
                Means[j] = TraceS(_f[fj], _f[fj + 1], _f[fj + 2], _f[fj + 3], fj) / Trace(_f[fj], _f[fj + 1], _f[fj + 2], _f[fj + 3], fj);
            }
            double bonds = 0;
            for (int j = 0; j < n - 1; j++)
            {
                int o = 4 * j;
                double f0 = _f[o], f1 = _f[o + 1], f2 = _f[o + 2], f3 = _f[o + 3];
                double g0 = _g[o], g1 = _g[o + 1], g2 = _g[o + 2], g3 = _g[o + 3];
                // P = F_j G_j and Q = F_j S G_j S (G_j with its off-diagonal negated).
                double p0 = f0 * g0 + f1 * g2, p1 = f0 * g1 + f1 * g3, p2 = f2 * g0 + f3 * g2, p3 = f2 * g1 + f3 * g3;
                double q0 = f0 * g0 - f1 * g2, q1 = -f0 * g1 + f1 * g3, q2 = f2 * g0 - f3 * g2, q3 = -f2 * g1 + f3 * g3;
                int ro = o + 4;
                bonds += Trace(q0, q1, q2, q3, ro) / Trace(p0, p1, p2, p3, ro);
            }
            if (_ring)
            {
                // The bond (M−1, 0): S F_{M−1} S, i.e. F_{M−1} with its off-diagonal negated.
                int o = 4 * (n - 1);
                bonds += Trace(_f[o], -_f[o + 1], -_f[o + 2], _f[o + 3], o) / Trace(_f[o], _f[o + 1], _f[o + 2], _f[o + 3], o);
            }
            BondMean = bonds;
            return logZ;
        }

        /// <summary>Cov(y_i, y_j), row-major M × M, at the last moments call: ⟨y_i y_j⟩ = tr(F_i S G_i⋯G_{j−1} S R_j)/Z.</summary>
        public void SiteCovariance(double[] cov)
        {
            int n = _n;
            Span<double> x = stackalloc double[4];
            Span<double> y = stackalloc double[4];
            for (int i = 0; i < n; i++)
            {
                cov[i * n + i] = 1 - Means[i] * Means[i];
                int o = 4 * i;
                y[0] = _f[o]; y[1] = _f[o + 1]; y[2] = _f[o + 2]; y[3] = _f[o + 3];
                x[0] = y[0]; x[1] = -y[1]; x[2] = y[2]; x[3] = -y[3];
                for (int j = i + 1; j < n; j++)
                {
                    int go = 4 * (j - 1);
                    double g0 = _g[go], g1 = _g[go + 1], g2 = _g[go + 2], g3 = _g[go + 3];
                    double y0 = y[0] * g0 + y[1] * g2, y1 = y[0] * g1 + y[1] * g3, y2 = y[2] * g0 + y[3] * g2, y3 = y[2] * g1 + y[3] * g3;
                    double x0 = x[0] * g0 + x[1] * g2, x1 = x[0] * g1 + x[1] * g3, x2 = x[2] * g0 + x[3] * g2, x3 = x[2] * g1 + x[3] * g3;
                    double mx = Math.Max(Math.Max(y0, y1), Math.Max(y2, y3));
                    double inv = mx < Tiny || mx > Huge ? 1 / mx : 1;
                    y[0] = y0 * inv; y[1] = y1 * inv; y[2] = y2 * inv; y[3] = y3 * inv;
                    x[0] = x0 * inv; x[1] = x1 * inv; x[2] = x2 * inv; x[3] = x3 * inv;
                    int ro = 4 * j;
                    double pair = TraceS(x[0], x[1], x[2], x[3], ro) / Trace(y[0], y[1], y[2], y[3], ro);
                    cov[i * n + j] = cov[j * n + i] = pair - Means[i] * Means[j];
                }
            }
        }

        /// <summary>tr(A R) with R the suffix at offset <paramref name="ro"/>.</summary>
        private double Trace(double a0, double a1, double a2, double a3, int ro) =>
            a0 * _r[ro] + a1 * _r[ro + 2] + a2 * _r[ro + 1] + a3 * _r[ro + 3];

        /// <summary>tr(A S R) with R the suffix at offset <paramref name="ro"/>.</summary>
        private double TraceS(double a0, double a1, double a2, double a3, int ro) =>
            a0 * _r[ro] - a1 * _r[ro + 2] + a2 * _r[ro + 1] - a3 * _r[ro + 3];

        /// <summary>C = A B; returns C's largest entry.</summary>
        private static double Multiply(double[] a, int ao, double[] b, int bo, double[] c, int co)
        {
            double a0 = a[ao], a1 = a[ao + 1], a2 = a[ao + 2], a3 = a[ao + 3];
            double b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
            double c0 = a0 * b0 + a1 * b2, c1 = a0 * b1 + a1 * b3, c2 = a2 * b0 + a3 * b2, c3 = a2 * b1 + a3 * b3;
            c[co] = c0; c[co + 1] = c1; c[co + 2] = c2; c[co + 3] = c3;
            return Math.Max(Math.Max(c0, c1), Math.Max(c2, c3));
        }

        private static void Scale(double[] m, int o, double factor)
        {
            m[o] *= factor; m[o + 1] *= factor; m[o + 2] *= factor; m[o + 3] *= factor;
        }
    }
}
