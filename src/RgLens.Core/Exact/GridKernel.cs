using System.Numerics.Tensors;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Exact;

/// <summary>
/// The transfer kernel of θ on a grid (docs/theory.md, "Transfer matrices and exact oracles"), symmetric and scaled:
/// A_jk = exp(ln u_j + ln u_k + K x_j x_k − s), ln u_j = ½(ln w_j + ln ν(x_j) + η·T(x_j)), with s the
/// largest exponent so that no entry overflows (the true kernel is e^s A). Gives the leading
/// eigenpair (Lanczos) and the infinite chain's moments from it: the marginal is ψ², the neighbour
/// pair ψ_j A_jk ψ_k / λ (docs/theory.md, "Transfer matrices and exact oracles").
/// </summary>
internal sealed class GridKernel
{
    public GridKernel(ChainParameters parameters, QuadratureGrid grid)
    {
        Parameters = parameters;
        Grid = grid;
        var family = parameters.Family;
        int n = grid.Count;
        double[] eta = parameters.NaturalParameters();
        Statistics = new double[family.StatisticCount, n];
        LogU = new double[n];
        var t = new double[family.StatisticCount];
        for (int j = 0; j < n; j++)
        {
            double x = grid.Nodes[j];
            family.Statistics(x, t);
            double e = 0;
            for (int k = 0; k < t.Length; k++)
            {
                Statistics[k, j] = t[k];
                e += eta[k] * t[k];
            }
            LogU[j] = 0.5 * (grid.LogWeights[j] + family.LogBaseMeasure(x) + e);
        }
        Coupling = parameters.NeighbourCoupling;
        if (n <= DenseLimit)
        {
            _matrix = Build(LogU, grid.Nodes, Coupling, out double shift);
            Shift = shift;
        }
        else Shift = MaxExponent(LogU, grid.Nodes, Coupling);
    }

    /// <summary>
    /// The largest grid whose kernel is held as a matrix from the start (2049 points, 34 MB: the largest automatic grid).
    /// A larger kernel is applied row by row, each row formed when needed (the accuracy checks of
    /// a forced --grid build kernels of up to twice its points), and becomes a matrix only where
    /// <see cref="Matrix"/> is asked for (the full spectrum).
    /// </summary>
    internal const int DenseLimit = 2049;

    private double[]? _matrix;

    public ChainParameters Parameters { get; }

    public QuadratureGrid Grid { get; }

    public int Size => Grid.Count;

    public double Coupling { get; }

    /// <summary>ln u_j.</summary>
    public double[] LogU { get; }

    /// <summary>T_k(x_j), statistic by node.</summary>
    public double[,] Statistics { get; }

    /// <summary>The scaled kernel A (row-major n × n), formed on first use above <see cref="DenseLimit"/>.</summary>
    public double[] Matrix => _matrix ??= Build(LogU, Grid.Nodes, Coupling, out _);

    /// <summary>s: the kernel is e^s A.</summary>
    public double Shift { get; }

    /// <summary>A_jk = exp(ln u_j + ln u_k + K x_j x_k − s), s the largest exponent.</summary>
    internal static double[] Build(double[] logU, double[] x, double coupling, out double shift)
    {
        int n = x.Length;
        var m = new double[n * n];
        double max = double.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            if ((j & 255) == 0) RunCancellation.ThrowIfRequested();
            var row = m.AsSpan(j * n, n);
            TensorPrimitives.MultiplyAdd(x, coupling * x[j], logU, row);
            TensorPrimitives.Add(row, logU[j], row);
            max = Math.Max(max, TensorPrimitives.Max(row));
        }
        if (!double.IsFinite(max))
            throw new RgLensException("the transfer kernel is not finite on this grid (a parameter or grid point outside what double precision holds); relax --accuracy or check the parameters.");
        TensorPrimitives.Subtract(m, max, m);
        TensorPrimitives.Exp(m, m);
        shift = max;
        return m;
    }

    /// <summary>max_jk (ln u_j + ln u_k + K x_j x_k) without forming the matrix (the shift s of <see cref="Build"/>).</summary>
    private static double MaxExponent(double[] logU, double[] x, double coupling)
    {
        int n = x.Length;
        var row = new double[n];
        double max = double.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            TensorPrimitives.MultiplyAdd(x, coupling * x[j], logU, row);
            max = Math.Max(max, TensorPrimitives.Max(row) + logU[j]);
        }
        if (!double.IsFinite(max))
            throw new RgLensException("the transfer kernel is not finite on this grid (a parameter or grid point outside what double precision holds); relax --accuracy or check the parameters.");
        return max;
    }

    /// <summary>y = A v: the stored matrix, or (above <see cref="DenseLimit"/>, before <see cref="Matrix"/> was asked for) each row formed as it is used.</summary>
    public void Multiply(double[] v, double[] y)
    {
        RunCancellation.ThrowIfRequested(); // every iteration of the eigensolvers comes here
        if (_matrix is not null)
        {
            DenseMatrix.Multiply(_matrix, Size, v, y);
            return;
        }
        int n = Size;
        double[] x = Grid.Nodes, logU = LogU;
        Parallel.For(0, n, () => new double[n], (j, _, row) =>
        {
            TensorPrimitives.MultiplyAdd(x, Coupling * x[j], logU, row);
            TensorPrimitives.Add(row, logU[j] - Shift, row);
            TensorPrimitives.Exp(row, row);
            y[j] = TensorPrimitives.Dot(row, v);
            return row;
        }, _ => { });
    }

    /// <summary>The Perron eigenpair: ln λ_0 (including the shift) and the unit vector ψ (positive).</summary>
    public (double LogLambda, double[] Vector) Leading(double[]? start = null)
    {
        if (Size == 1) return (Math.Log(Matrix[0]) + Shift, [1.0]);
        var (value, vector) = LeadingEigenpair.Compute(Multiply, Size, start);
        return (Math.Log(value) + Shift, vector);
    }

    /// <summary>
    /// The infinite chain's moments from the Perron pair: E T_k (k = 0 … d−1) and E x_i x_{i+r}
    /// (last entry), r = <paramref name="distance"/> (1: neighbours; b: the decimated chain's neighbours).
    /// </summary>
    public double[] Moments(double logLambda, double[] psi, int distance = 1)
    {
        int d = Statistics.GetLength(0), n = Size;
        var result = new double[d + 1];
        var p2 = new double[n];
        TensorPrimitives.Multiply(psi, psi, p2);
        for (int k = 0; k < d; k++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += p2[j] * Statistics[k, j];
            result[k] = s;
        }
        var v = new double[n];
        TensorPrimitives.Multiply(psi, Grid.Nodes, v);
        var w = new double[n];
        double scale = Math.Exp(Shift - logLambda);
        var current = (double[])v.Clone();
        for (int r = 0; r < distance; r++)
        {
            Multiply(current, w);
            TensorPrimitives.Multiply(w, scale, current);
        }
        result[d] = TensorPrimitives.Dot(v, current);
        return result;
    }

    /// <summary>ln λ_0 followed by the moments: the quantities whose convergence a grid is chosen on.</summary>
    public double[] Quantities(double[]? start = null)
    {
        var (logLambda, psi) = Leading(start);
        return [logLambda, .. Moments(logLambda, psi)];
    }
}
