namespace RgLens.Exact;

/// <summary>
/// The eigen-decomposition of a chain's symmetric transfer kernel on a finite state set
/// (docs/theory.md, "Transfer matrices and exact oracles" and "Decimation and its fixed points"): T(x, y) = √(w_x ν(x)) · exp(η·(T(x)+T(y))/2 + K x y) · √(w_y ν(y)),
/// T = Σ_k λ_k v_k v_kᵀ, λ_0 the Perron eigenvalue. States are the support points (Ising: ±1) or
/// the nodes of a quadrature grid with weights w. Eigenvalues are stored as ln λ_0 plus the ratios
/// ρ_k = λ_k/λ_0 in sign-and-log form, so that powers T^N for any N are formed without overflow,
/// and ratios close to 1 (long correlation lengths) keep their full precision.
/// </summary>
internal sealed class TransferSpectrum
{
    public TransferSpectrum(double[] points, double logLambdaMax, double[] logAbsRatio, int[] ratioSign,
        double[,] vectors, double[] boundary, double logBoundaryScale, double[,]? pointOperator = null)
    {
        _pointOperator = pointOperator;
        Points = points;
        LogLambdaMax = logLambdaMax;
        LogAbsRatio = logAbsRatio;
        RatioSign = ratioSign;
        Vectors = vectors;
        Boundary = boundary;
        LogBoundaryScale = logBoundaryScale;
    }

    private readonly double[,]? _pointOperator;

    /// <summary>
    /// X_kl = Σ_x V[x,k] x V[x,l], the operator of the site value in the eigenbasis; supplied in
    /// closed form by builders that know it more precisely than the sum (Ising: X_00 = m,
    /// X_01 = −√(1 − m²), X_11 = −m).
    /// </summary>
    public double[,] PointOperator => _pointOperator ?? SiteOperator(x => x);

    /// <summary>The state values x (Ising: +1, −1).</summary>
    public double[] Points { get; }

    /// <summary>Number of states n.</summary>
    public int States => Points.Length;

    /// <summary>ln λ_0, the log of the Perron eigenvalue.</summary>
    public double LogLambdaMax { get; }

    /// <summary>ln |λ_k / λ_0| (0 for k = 0; −∞ for a zero eigenvalue).</summary>
    public double[] LogAbsRatio { get; }

    /// <summary>sign λ_k (+1, −1, or 0 for a zero eigenvalue).</summary>
    public int[] RatioSign { get; }

    /// <summary>V[x, k]: orthonormal eigenvectors in the columns.</summary>
    public double[,] Vectors { get; }

    /// <summary>
    /// The open-chain end vector b(x) = √(w_x ν(x)) e^{η·T(x)/2}, divided by e^{LogBoundaryScale}
    /// to keep it finite: Z_open = e^{2·LogBoundaryScale} · bᵀ T^{N−1} b.
    /// </summary>
    public double[] Boundary { get; }

    /// <summary>The log of the factor taken out of <see cref="Boundary"/>.</summary>
    public double LogBoundaryScale { get; }

    /// <summary>ρ_k^m, the m-th power of the k-th eigenvalue ratio (underflows quietly to 0).</summary>
    public double RatioPower(int k, long m)
    {
        if (m == 0) return 1.0;
        int s = RatioSign[k];
        if (s == 0) return 0.0;
        double mag = Math.Exp(m * LogAbsRatio[k]);
        return (s < 0 && (m & 1) == 1) ? -mag : mag;
    }

    /// <summary>F_kl = Σ_x V[x,k] f(x) V[x,l]: a diagonal site operator in the eigenbasis.</summary>
    public double[,] SiteOperator(Func<double, double> f)
    {
        int n = States;
        var fx = new double[n];
        for (int x = 0; x < n; x++) fx[x] = f(Points[x]);
        return SiteOperator(fx);
    }

    /// <summary>F_kl = Σ_x V[x,k] f_x V[x,l] for the values f_x of a site function at the states.</summary>
    public double[,] SiteOperator(double[] fx)
    {
        int n = States;
        var m = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            RunCancellation.ThrowIfRequested(); // O(n²) work a row: ~50 ms at n = 8193
            for (int l = k; l < n; l++)
            {
                double s = 0;
                for (int x = 0; x < n; x++) s += Vectors[x, k] * fx[x] * Vectors[x, l];
                m[k, l] = s;
                m[l, k] = s;
            }
        }
        return m;
    }

    /// <summary>a = Vᵀ b: the open-chain end vector in the eigenbasis.</summary>
    public double[] BoundaryCoefficients()
    {
        int n = States;
        var a = new double[n];
        for (int k = 0; k < n; k++)
        {
            double s = 0;
            for (int x = 0; x < n; x++) s += Vectors[x, k] * Boundary[x];
            a[k] = s;
        }
        return a;
    }

    /// <summary>1 + ρ_k^m, formed by expm1 when it nearly vanishes (ρ_k ≈ −1, m odd).</summary>
    public double OnePlusRatioPower(int k, long m)
    {
        if (m == 0) return 2.0;
        if (RatioSign[k] == 0) return 1.0;
        if (RatioSign[k] < 0 && (m & 1) == 1) return -Numerics.LogMath.ExpM1(m * LogAbsRatio[k]);
        return 1.0 + Math.Exp(m * LogAbsRatio[k]);
    }

    /// <summary>
    /// Σ_{j=0}^{L−1} ρ_k^j ρ_l^{L−1−j}, the sum over the position of an inserted operator
    /// between two powers, evaluated without cancellation (also when ρ_k ≈ ρ_l).
    /// </summary>
    public double GeometricSum(int k, int l, long length)
    {
        if (length <= 0) return 0.0;
        if (length == 1) return 1.0;
        // Order so that |ρ_x| ≥ |ρ_y|.
        int x = k, y = l;
        if (LogAbsRatio[y] > LogAbsRatio[x]) (x, y) = (y, x);
        double leading = RatioPower(x, length - 1);
        if (RatioSign[x] == 0) return 0.0; // both ratios are zero and length ≥ 2
        if (RatioSign[y] == 0) return leading;
        double logQ = LogAbsRatio[y] - LogAbsRatio[x]; // ≤ 0
        double series;
        if (RatioSign[x] == RatioSign[y])
        {
            // (1 − q^L)/(1 − q) with q = e^{logQ} ∈ (0, 1]: expm1 keeps the digits when q ≈ 1.
            series = logQ == 0 ? length : Numerics.LogMath.ExpM1(length * logQ) / Numerics.LogMath.ExpM1(logQ);
        }
        else
        {
            double q = -Math.Exp(logQ);
            double qL = (length & 1) == 1 ? -Math.Exp(length * logQ) : Math.Exp(length * logQ);
            series = (1 - qL) / (1 - q);
        }
        return leading * series;
    }
}
