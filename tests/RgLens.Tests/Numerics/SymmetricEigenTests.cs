using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using RgLens.Numerics;

namespace RgLens.Tests.Numerics;

/// <summary>
/// <see cref="SymmetricEigen"/> against MathNet's symmetric eigen-decomposition and against its own
/// scalar reference kernels, on random, structured and degenerate matrices, and its cancellation.
/// </summary>
public class SymmetricEigenTests
{
    /// <summary>
    /// Householder tridiagonalization followed by QL with accumulated rotations is backward stable
    /// (Wilkinson; Golub and Van Loan, "Matrix Computations", §8.3): the computed pairs are exact
    /// eigenpairs of A + E with ‖E‖₂ ≤ c·n·u·‖A‖₂, and the computed eigenvectors are orthonormal to
    /// c·n·u, u = 2⁻⁵³ ≈ 1.1e-16, c a modest constant. By Weyl's inequality each eigenvalue is
    /// then within ‖E‖₂ of the exact one, the residual ‖A v − λ v‖ is at most about ‖E‖₂, and two
    /// such solvers differ by at most twice the bound: 2·20·n·u = 8.9e-13 for n ≤ 200 and c ≤ 20.
    /// Hence 1e-12, relative to ‖A‖₂ for eigenvalues and residuals, absolute for orthonormality.
    /// (Observed: at most 1e-14.)
    /// </summary>
    private const double Tolerance = 1e-12;

    /// <summary>A symmetric row-major n × n matrix with entries uniform in [−1, 1].</summary>
    private static double[] RandomSymmetric(int n, int seed)
    {
        var random = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = 2 * random.NextDouble() - 1;
        return a;
    }

    /// <summary>MathNet's eigenvalues, ascending (the matrix is symmetric, so its row-major array is also column-major).</summary>
    private static double[] MathNetValues(double[] a, int n) =>
        Matrix<double>.Build.Dense(n, n, (double[])a.Clone()).Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray();

    /// <summary>
    /// Decomposes a copy of <paramref name="a"/> and checks: ascending eigenvalues equal to
    /// <paramref name="expected"/>, residuals ‖A v − λ v‖₂ and orthonormality, all within <see cref="Tolerance"/>.
    /// </summary>
    private static void AssertDecomposition(double[] a, int n, double[] expected)
    {
        var vectors = (double[])a.Clone();
        double[] values = SymmetricEigen.Decompose(vectors, n);
        double norm = Math.Max(1e-300, expected.Select(Math.Abs).DefaultIfEmpty(0).Max()); // ‖A‖₂ of a symmetric A
        Assert.Equal(n, values.Length);
        for (int k = 0; k < n; k++)
        {
            if (k > 0) Assert.True(values[k - 1] <= values[k], $"eigenvalues not ascending at {k}");
            Assert.True(Math.Abs(values[k] - expected[k]) <= Tolerance * norm, $"eigenvalue {k}: {values[k]:R} vs {expected[k]:R}");
            double residual = 0;
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
                residual += Math.Pow(av - values[k] * vectors[k * n + i], 2);
            }
            Assert.True(Math.Sqrt(residual) <= Tolerance * norm, $"residual of pair {k}: {Math.Sqrt(residual):G3} (‖A‖ = {norm:G3})");
            for (int l = 0; l <= k; l++)
            {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
                Assert.True(Math.Abs(dot - (k == l ? 1 : 0)) <= Tolerance, $"vectors {k} and {l}: dot {dot:R}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(37)]
    [InlineData(200)]
    public void RandomMatricesMatchMathNet(int n)
    {
        var a = RandomSymmetric(n, 100 + n);
        AssertDecomposition(a, n, MathNetValues(a, n));
    }

    [Fact]
    public void RepeatedEigenvaluesGiveOrthonormalEigenvectors()
    {
        // A = Q diag(λ) Qᵀ, Q a random orthogonal matrix, λ with multiplicities 6, 5, 4, 3 and simple ones.
        double[] lambda = [.. Enumerable.Repeat(3.0, 6), .. Enumerable.Repeat(-1.0, 5), .. Enumerable.Repeat(0.5, 4), .. Enumerable.Repeat(0.0, 3), 2, -2.5, 1.25, 7];
        int n = lambda.Length;
        var random = new Random(5);
        var q = Matrix<double>.Build.Dense(n, n, (_, _) => 2 * random.NextDouble() - 1).QR().Q;
        var product = q * Matrix<double>.Build.DenseOfDiagonalArray(lambda) * q.Transpose();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = product[i, j];
        var exact = lambda.Order().ToArray();
        // Forming A rounds its entries by about n·u·‖A‖, far inside the tolerance.
        AssertDecomposition(a, n, exact);
        var mathNet = MathNetValues(a, n);
        for (int k = 0; k < n; k++) Assert.True(Math.Abs(mathNet[k] - exact[k]) <= Tolerance * 7, $"MathNet's eigenvalue {k}");
    }

    [Fact]
    public void StructuredMatricesGiveTheirKnownSpectra()
    {
        // The 1-D Laplacian (already tridiagonal: no reflector is made): λ_k = 2 − 2 cos(kπ/(n+1)).
        const int n = 50;
        var laplacian = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            laplacian[i * n + i] = 2;
            if (i > 0) laplacian[i * n + i - 1] = laplacian[(i - 1) * n + i] = -1;
        }
        AssertDecomposition(laplacian, n, Enumerable.Range(1, n).Select(k => 2 - 2 * Math.Cos(k * Math.PI / (n + 1))).ToArray());
        // A diagonal matrix: its sorted diagonal, exactly, with unit vectors.
        double[] diagonal = [4, -1, 0, 2.5, -1, 9, 0.25];
        int m = diagonal.Length;
        var d = new double[m * m];
        for (int i = 0; i < m; i++) d[i * m + i] = diagonal[i];
        var vectors = (double[])d.Clone();
        Assert.Equal(diagonal.Order(), SymmetricEigen.Decompose(vectors, m));
        Assert.All(Enumerable.Range(0, m), k => Assert.Equal(1, vectors.AsSpan(k * m, m).ToArray().Count(x => Math.Abs(x) == 1)));
        // The zero matrix and the empty one.
        var zero = new double[9];
        Assert.Equal(new double[3], SymmetricEigen.Decompose(zero, 3));
        Assert.Empty(SymmetricEigen.Decompose([], 0));
    }

    [Fact]
    public void EntriesThatAreNotFiniteAreRefused()
    {
        var a = RandomSymmetric(4, 1);
        a[2 * 4 + 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(a, 4));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[8], 3));
    }

    [Theory]
    [InlineData(37)]
    [InlineData(200)]
    public void TheFastDecompositionAgreesWithTheReference(int n)
    {
        var a = RandomSymmetric(n, 300 + n);
        double[] fast = SymmetricEigen.Decompose((double[])a.Clone(), n);
        double[] reference = SymmetricEigen.DecomposeReference((double[])a.Clone(), n);
        double norm = Math.Max(Math.Abs(reference[0]), Math.Abs(reference[^1]));
        for (int k = 0; k < n; k++) Assert.True(Math.Abs(fast[k] - reference[k]) <= Tolerance * norm, $"eigenvalue {k}: {fast[k]:R} vs {reference[k]:R}");
        // The reference itself against MathNet, with its vectors.
        AssertDecomposition(a, n, MathNetValues(a, n));
    }

    [Theory]
    [InlineData(37, false)]
    [InlineData(37, true)]
    [InlineData(200, false)]
    [InlineData(200, true)]
    public void TheReductionIsAnOrthogonalSimilarity(int n, bool reference)
    {
        // Both kernels of steps (1) and (2), fast and reference: M = Qᵀ orthonormal and M A Mᵀ = T,
        // to the backward error of the reduction (see Tolerance).
        var a = RandomSymmetric(n, 500 + n);
        var m = (double[])a.Clone();
        var d = new double[n];
        var e = new double[n];
        var h = new double[n];
        if (reference)
        {
            SymmetricEigen.TridiagonalizeReference(m, n, d, e, h);
            SymmetricEigen.FormQTransposedReference(m, n, h);
        }
        else
        {
            SymmetricEigen.Tridiagonalize(m, n, d, e, h, CancellationToken.None);
            SymmetricEigen.FormQTransposed(m, n, h, CancellationToken.None);
        }
        var am = new double[n * n]; // A Mᵀ
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += a[i * n + j] * m[k * n + j];
                am[i * n + k] = s;
            }
        double norm = MathNetValues(a, n).Max(Math.Abs);
        for (int k = 0; k < n; k++)
            for (int l = 0; l < n; l++)
            {
                double mm = 0, mam = 0;
                for (int j = 0; j < n; j++)
                {
                    mm += m[k * n + j] * m[l * n + j];
                    mam += m[k * n + j] * am[j * n + l];
                }
                double t = k == l ? d[k] : k == l + 1 ? e[k] : l == k + 1 ? e[l] : 0;
                Assert.True(Math.Abs(mm - (k == l ? 1 : 0)) <= Tolerance, $"(M Mᵀ)[{k},{l}] = {mm:R}");
                Assert.True(Math.Abs(mam - t) <= Tolerance * norm, $"(M A Mᵀ)[{k},{l}] = {mam:R}, T = {t:R}");
            }
    }

    [Theory]
    [InlineData(37)]
    [InlineData(64)]
    public void TheRotationKernelMatchesItsReferenceBitForBit(int n)
    {
        // Random sweeps (bottoms and lengths anywhere, some reaching row 0 or ending at row n−1) on
        // a random matrix: the strip kernel computes the same products in the same order.
        var random = new Random(n);
        var m = Enumerable.Range(0, n * n).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        var log = new SymmetricEigen.Rotations(20 * n);
        for (int sweep = 0; sweep < 20; sweep++)
        {
            int bottom = sweep % 5 == 0 ? n - 1 : random.Next(1, n);
            int length = sweep % 7 == 0 ? bottom : random.Next(1, bottom + 1);
            int start = log.Count;
            for (int t = 0; t < length; t++)
            {
                double angle = 2 * Math.PI * random.NextDouble();
                log.Add(Math.Cos(angle), Math.Sin(angle));
            }
            log.EndSweep(start, bottom);
        }
        var fast = (double[])m.Clone();
        var reference = (double[])m.Clone();
        SymmetricEigen.ApplyRotations(fast, n, log, CancellationToken.None);
        SymmetricEigen.ApplyRotationsReference(reference, n, log);
        Assert.Equal(reference.Select(BitConverter.DoubleToInt64Bits), fast.Select(BitConverter.DoubleToInt64Bits));
        Assert.NotEqual(m, fast);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(400)]
    public void ACancelledDecompositionStopsPromptly(int afterMs)
    {
        // n = 1500 takes about a second here (tridiagonalization, then Qᵀ, then QL): the two delays
        // land in different steps. The run's token is the default one (RunCancellation).
        const int n = 1500;
        var a = RandomSymmetric(n, 7);
        using var cancel = new CancellationTokenSource();
        using var scope = RunCancellation.Use(cancel.Token);
        long cancelledAt = 0;
        using var registration = cancel.Token.Register(() => Volatile.Write(ref cancelledAt, Stopwatch.GetTimestamp()));
        cancel.CancelAfter(afterMs);
        try
        {
            SymmetricEigen.Decompose(a, n);
        }
        catch (OperationCanceledException)
        {
            long stoppedAt = Stopwatch.GetTimestamp();
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref cancelledAt) != 0, 5000));
            // Cancellation is checked every few rows (about a millisecond of work at this size);
            // the rest of 200 ms is room for a loaded machine.
            var took = Stopwatch.GetElapsedTime(cancelledAt, stoppedAt);
            Assert.True(took < TimeSpan.FromMilliseconds(200), $"stopped {took.TotalMilliseconds:F0} ms after the cancellation");
            return;
        }
        // Only a fast machine finishes before the later cancellation (or in its last moments, the sort); never before the first.
        long finishedAt = Stopwatch.GetTimestamp();
        Assert.True(afterMs > 50, "the decomposition finished although it was cancelled after 50 ms");
        long at = Volatile.Read(ref cancelledAt);
        Assert.True(at == 0 || Stopwatch.GetElapsedTime(at, finishedAt) < TimeSpan.FromMilliseconds(200), "the decomposition ran on after the cancellation");
    }
}
