using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RgLens.Numerics;

/// <summary>
/// Eigenvalues and orthonormal eigenvectors of a dense symmetric n × n matrix, in place, with a
/// cancellation check at least every few rows of every O(n³) loop. Written here because
/// MathNet's decomposition has no cancellation point (minutes at n = 8193) and keeps its own
/// copies of the matrix.
/// <para>
/// The method is the classic one of EISPACK's tred2/tql2 (also JAMA's and MathNet's managed
/// symmetric EVD; Golub and Van Loan, "Matrix Computations", §8.3): (1) Householder reflections
/// P_i = I − u_i u_iᵀ/H_i, i = n−1 … 1, each annihilating row i left of its subdiagonal, reduce A
/// to a tridiagonal T = Qᵀ A Q with Q = P_{n−1} ⋯ P_1; (2) the product Qᵀ = P_1 ⋯ P_{n−1} is formed
/// in the same array; (3) implicit QL steps with Wilkinson's shift diagonalize T by plane
/// rotations, which are applied to the rows of Qᵀ, so that its rows become the eigenvectors.
/// </para>
/// <para>
/// Everything is row-major and works on rows: the reduction reads only the lower triangle (row j,
/// columns 0 … j) and does its rank-2 update of step i fused with the matrix-vector product of
/// step i − 1 (one pass over the triangle per step); Qᵀ is formed a block of reflectors at a time,
/// row by row (rows in parallel); the rotations of many QL sweeps are recorded and applied to
/// strips of 16 columns that stay in cache (strips in parallel). Each of the three hot kernels has
/// a plain scalar reference beside it (<see cref="TridiagonalizeReference"/>,
/// <see cref="FormQTransposedReference"/>, <see cref="ApplyRotationsReference"/>; together
/// <see cref="DecomposeReference"/>). The rotation kernel computes the same products in the same
/// order as its reference (bit-identical); the other two differ from theirs only in the summation
/// order of dot products. Results do not depend on the number of threads.
/// </para>
/// Work arrays: O(n) besides the matrix: the recorded rotations (128 n doubles and 128 n ints),
/// the reflectors of one block (at most max(64 Ki, 4 n) doubles), one strip of 16 n doubles per
/// thread and a few vectors of n.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>Relative rounding unit of double (2⁻⁵²), as in the convergence test of tql2.</summary>
    private const double Epsilon = 1.0 / (1L << 52);

    /// <summary>Columns per strip of the rotation kernel: four 256-bit vectors, four independent chains of rotations (as fast here as two 512-bit ones).</summary>
    private const int StripWidth = 16;

    /// <summary>
    /// Decomposes the symmetric row-major n × n matrix <paramref name="a"/> (only its lower
    /// triangle, row j columns 0 … j, is read) under the run's cancellation
    /// (<see cref="RunCancellation"/>). See <see cref="Decompose(double[], int, CancellationToken)"/>.
    /// </summary>
    public static double[] Decompose(double[] a, int n) => Decompose(a, n, RunCancellation.Token);

    /// <summary>
    /// Decomposes the symmetric row-major n × n matrix <paramref name="a"/> in place: returns the
    /// eigenvalues in ascending order and leaves in row k of <paramref name="a"/> a unit
    /// eigenvector of eigenvalue k (signs arbitrary). Only the lower triangle (row j, columns
    /// 0 … j) is read.
    /// </summary>
    /// <exception cref="ArgumentException">The array is too small or an entry is not finite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled; the array then holds intermediate values.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (30 n sweeps; not seen on finite input).</exception>
    public static double[] Decompose(double[] a, int n, CancellationToken cancel)
    {
        Require(a, n, cancel);
        var d = new double[n];
        var e = new double[n];
        var h = new double[n];
        Tridiagonalize(a, n, d, e, h, cancel);
        FormQTransposed(a, n, h, cancel);
        Diagonalize(d, e, a, n, reference: false, cancel);
        SortAscending(d, a, n, cancel);
        return d;
    }

    /// <summary>The same decomposition from the scalar reference kernels: readable, slow, the oracle of the fast ones.</summary>
    public static double[] DecomposeReference(double[] a, int n)
    {
        Require(a, n, CancellationToken.None);
        var d = new double[n];
        var e = new double[n];
        var h = new double[n];
        TridiagonalizeReference(a, n, d, e, h);
        FormQTransposedReference(a, n, h);
        Diagonalize(d, e, a, n, reference: true, CancellationToken.None);
        SortAscending(d, a, n, CancellationToken.None);
        return d;
    }

    private static void Require(double[] a, int n, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (a.LongLength < (long)n * n) throw new ArgumentException($"the array holds {a.LongLength} values; {n} x {n} needs {(long)n * n}.", nameof(a));
        for (int j = 0; j < n; j++)
        {
            if ((j & 255) == 0) cancel.ThrowIfCancellationRequested();
            foreach (double x in a.AsSpan(j * n, j + 1))
                if (!double.IsFinite(x)) throw new ArgumentException($"row {j} of the matrix holds {x}; the eigen-decomposition needs finite entries.", nameof(a));
        }
    }

    // ---------------------------------------------------------------------------------------
    // (1) Householder reduction to tridiagonal form.
    //
    // Step i (i = n−1 … 1) takes x = row i, columns 0 … i−1, of the current matrix, whose leading
    // i × i block is B. The reflector P = I − u uᵀ/H maps x to α e_{i−1}; then, with p = B u / H,
    // K = uᵀp / (2H) and q = p − K u, the block becomes P B P = B − u qᵀ − q uᵀ. The subdiagonal
    // T[i, i−1] is α and the diagonal T[i, i] is the entry (i, i) after steps n−1 … i+1. u is kept
    // in row i (columns 0 … i−1) and H in h[i] for step (2); h[i] = 0 marks "no reflector" (the
    // row was already tridiagonal there).
    // ---------------------------------------------------------------------------------------

    /// <summary>
    /// Turns <paramref name="x"/> (row i, columns 0 … i−1) into the reflector u with P x = α e_{i−1}
    /// and returns H (0, and u = 0, where x is already a multiple of e_{i−1}). x is first divided by
    /// Σ|x_k| so that its squares can neither overflow nor underflow (P does not depend on the
    /// scale of x; α is scaled back): with x̃ the scaled x, g = −sign(x̃_{i−1}) ‖x̃‖,
    /// u = x̃ − g e_{i−1}, H = uᵀu / 2 = ‖x̃‖² − g x̃_{i−1} (&gt; 0) and α = Σ|x_k| · g.
    /// </summary>
    internal static double MakeReflector(Span<double> x, out double alpha)
    {
        int last = x.Length - 1;
        double off = TensorPrimitives.SumOfMagnitudes<double>(x[..last]);
        if (off == 0)
        {
            alpha = x[last];
            x.Clear();
            return 0;
        }
        double scale = off + Math.Abs(x[last]);
        TensorPrimitives.Divide(x, scale, x);
        double sigma = TensorPrimitives.SumOfSquares<double>(x);
        double f = x[last];
        double g = f >= 0 ? -Math.Sqrt(sigma) : Math.Sqrt(sigma);
        alpha = scale * g;
        x[last] = f - g;
        return sigma - f * g;
    }

    /// <summary>
    /// Reduces the lower triangle of <paramref name="a"/> to the tridiagonal (d, e), e[i] = T[i, i−1]
    /// (e[0] = 0), leaving reflector i in row i and its H in <paramref name="h"/>[i]. Fused: the
    /// update of the block by reflector i and the product of the updated block with reflector i−1
    /// are one pass over rows 0 … i−2 (<see cref="FusedRow"/>), after row i−1 alone has been
    /// updated and turned into reflector i−1. The pass of step n (no reflector) forms the first
    /// product. Cancellation is checked every 32 rows of a pass. One thread: the pass split into
    /// four parallel parts (each with its own p, added in a fixed order) was no faster on the
    /// shared 2-core development machine.
    /// </summary>
    internal static void Tridiagonalize(double[] a, int n, double[] d, double[] e, double[] h, CancellationToken cancel)
    {
        if (n == 0) return;
        var none = new double[n];
        var p = new double[n];
        var q = new double[n];
        // The reflector whose update is pending (row i) and its H; step n has none.
        ReadOnlySpan<double> u = none;
        double hu = 0;
        for (int i = n; i >= 1; i--)
        {
            int r = i - 1;
            if (hu > 0)
            {
                double k = TensorPrimitives.Dot(u[..i], p.AsSpan(0, i)) / (2 * hu);
                TensorPrimitives.MultiplyAdd(u[..i], -k, p.AsSpan(0, i), q.AsSpan(0, i));
            }
            else Array.Clear(q, 0, i);
            var row = a.AsSpan(r * n, i);
            UpdateRow(row, u, q);
            d[r] = row[r];
            if (r == 0) break;
            var w = row[..r];
            double hw = MakeReflector(w, out e[r]);
            h[r] = hw;
            Array.Clear(p, 0, r);
            for (int j = 0; j < r; j++)
            {
                if ((j & 31) == 0) cancel.ThrowIfCancellationRequested();
                FusedRow(a.AsSpan(j * n, j + 1), u, q, w, p);
            }
            if (hw > 0) TensorPrimitives.Divide(p.AsSpan(0, r), hw, p.AsSpan(0, r));
            u = w;
            hu = hw;
        }
        e[0] = 0;
    }

    /// <summary>row_k −= u_j q_k + q_j u_k for k = 0 … j, j = row.Length − 1 (one row of the lower triangle).</summary>
    private static void UpdateRow(Span<double> row, ReadOnlySpan<double> u, ReadOnlySpan<double> q)
    {
        int j = row.Length - 1;
        double uj = u[j], qj = q[j];
        for (int k = 0; k <= j; k++) row[k] -= uj * q[k] + qj * u[k];
    }

    /// <summary>
    /// One row j of the fused pass (row = columns 0 … j of the lower triangle): row −= u_j q + q_j u
    /// (the rank-2 update of the pending reflector), then its part of p = B w with the updated
    /// row: p_j += Σ_{k≤j} row_k w_k and p_k += w_j row_k for k &lt; j (the entries above the
    /// diagonal are the mirror of these). Same arithmetic per entry as
    /// <see cref="TridiagonalizeReference"/>, except the order of the sum p_j.
    /// </summary>
    private static void FusedRow(Span<double> row, ReadOnlySpan<double> u, ReadOnlySpan<double> q, ReadOnlySpan<double> w, Span<double> p)
    {
        int j = row.Length - 1;
        double uj = u[j], qj = q[j], wj = w[j];
        ref double rr = ref MemoryMarshal.GetReference(row);
        ref double ur = ref MemoryMarshal.GetReference(u);
        ref double qr = ref MemoryMarshal.GetReference(q);
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double pr = ref MemoryMarshal.GetReference(p);
        double dot = 0;
        int k = 0;
        if (Vector256.IsHardwareAccelerated && j >= 8)
        {
            Vector256<double> vu = Vector256.Create(uj), vq = Vector256.Create(qj), vw = Vector256.Create(wj), s0 = default, s1 = default;
            for (; k + 8 <= j; k += 8)
            {
                nuint o = (nuint)k, o1 = o + 4;
                var b0 = Vector256.LoadUnsafe(ref rr, o) - (vu * Vector256.LoadUnsafe(ref qr, o) + vq * Vector256.LoadUnsafe(ref ur, o));
                var b1 = Vector256.LoadUnsafe(ref rr, o1) - (vu * Vector256.LoadUnsafe(ref qr, o1) + vq * Vector256.LoadUnsafe(ref ur, o1));
                b0.StoreUnsafe(ref rr, o);
                b1.StoreUnsafe(ref rr, o1);
                s0 += b0 * Vector256.LoadUnsafe(ref wr, o);
                s1 += b1 * Vector256.LoadUnsafe(ref wr, o1);
                (Vector256.LoadUnsafe(ref pr, o) + vw * b0).StoreUnsafe(ref pr, o);
                (Vector256.LoadUnsafe(ref pr, o1) + vw * b1).StoreUnsafe(ref pr, o1);
            }
            dot = Vector256.Sum(s0 + s1);
        }
        for (; k < j; k++)
        {
            double b = row[k] - (uj * q[k] + qj * u[k]);
            row[k] = b;
            dot += b * w[k];
            p[k] += wj * b;
        }
        double diagonal = row[j] - (uj * qj + qj * uj);
        row[j] = diagonal;
        p[j] += dot + diagonal * wj;
    }

    /// <summary>
    /// The readable form of <see cref="Tridiagonalize"/>: for each step, the reflector from row i,
    /// then p = B u / H as a separate pass over the lower triangle, then q and the rank-2 update
    /// of the whole block, all in scalar loops.
    /// </summary>
    internal static void TridiagonalizeReference(double[] a, int n, double[] d, double[] e, double[] h)
    {
        if (n == 0) return;
        var p = new double[n];
        var q = new double[n];
        for (int i = n - 1; i >= 1; i--)
        {
            var u = a.AsSpan(i * n, i);
            d[i] = a[i * n + i];
            double hu = MakeReflector(u, out e[i]);
            h[i] = hu;
            if (hu == 0) continue;
            // p = B u / H from the lower triangle: row j gives p_j its entries k ≤ j and gives
            // each p_k, k < j, the mirrored entry (k, j).
            Array.Clear(p, 0, i);
            for (int j = 0; j < i; j++)
            {
                var row = a.AsSpan(j * n, j + 1);
                double dot = 0;
                for (int k = 0; k < j; k++)
                {
                    dot += row[k] * u[k];
                    p[k] += u[j] * row[k];
                }
                p[j] += dot + row[j] * u[j];
            }
            for (int j = 0; j < i; j++) p[j] /= hu;
            double up = 0;
            for (int j = 0; j < i; j++) up += u[j] * p[j];
            double kk = up / (2 * hu);
            for (int j = 0; j < i; j++) q[j] = p[j] - kk * u[j];
            for (int j = 0; j < i; j++)
            {
                var row = a.AsSpan(j * n, j + 1);
                for (int k = 0; k <= j; k++) row[k] -= u[j] * q[k] + q[j] * u[k];
            }
        }
        d[0] = a[0];
        e[0] = 0;
    }

    // ---------------------------------------------------------------------------------------
    // (2) Qᵀ = P_1 P_2 ⋯ P_{n−1}, formed in the array that holds the reflectors.
    //
    // M = P_1 ⋯ P_{j−1} differs from the identity only in rows and columns 0 … j−2, so M P_j
    // changes only rows 0 … j−1, and in each row r only columns 0 … j−1:
    // row_r ← row_r − (row_r · u_j / H_j) u_jᵀ. Row j (reflector j) is not touched before its
    // turn; row j−1 (reflector j−1, already used) becomes the unit row e_{j−1}, and column j−1
    // of rows 0 … j−2 (entries above the diagonal, never written by the reduction) becomes 0.
    // ---------------------------------------------------------------------------------------

    /// <summary>
    /// Makes rows <paramref name="first"/> … <paramref name="last"/> unit rows in columns
    /// 0 … <paramref name="last"/>, and zeroes those columns in the rows above.
    /// </summary>
    private static void MakeUnitRows(double[] a, int n, int first, int last)
    {
        for (int r = 0; r < first; r++) Array.Clear(a, r * n + first, last - first + 1);
        for (int r = first; r <= last; r++)
        {
            Array.Clear(a, r * n, last + 1);
            a[r * n + r] = 1;
        }
    }

    /// <summary>
    /// Replaces the reflectors left by <see cref="Tridiagonalize"/> with Qᵀ = P_1 ⋯ P_{n−1}. A
    /// block of up to 32 consecutive reflectors is copied out, their rows made unit rows, and each
    /// row r then takes the block's reflectors j &gt; r in order while it stays in cache; rows in
    /// parallel (16 at a time, the run's cancellation checked between them).
    /// </summary>
    internal static void FormQTransposed(double[] a, int n, double[] h, CancellationToken cancel)
    {
        if (n == 0) return;
        int block = Math.Clamp(65536 / n, 4, 32);
        var reflectors = new double[(long)block * n];
        var options = new ParallelOptions { CancellationToken = cancel };
        for (int i0 = 1; i0 < n; i0 += block)
        {
            cancel.ThrowIfCancellationRequested();
            int i1 = Math.Min(n, i0 + block);
            for (int j = i0; j < i1; j++) a.AsSpan(j * n, j).CopyTo(reflectors.AsSpan((j - i0) * n, j));
            MakeUnitRows(a, n, i0 - 1, i1 - 2);
            int rows = i1 - 1;
            Parallel.For(0, (rows + 15) / 16, options, chunk =>
            {
                int r = chunk * 16, end = Math.Min(rows, r + 16);
                // Rows above the block's unit rows take all its reflectors: four at a time where possible.
                if (Vector512.IsHardwareAccelerated)
                    for (; r + 4 <= Math.Min(end, i0 - 1); r += 4)
                        for (int j = i0; j < i1; j++)
                            if (h[j] != 0) ReflectFourRows(a, r * n, n, reflectors.AsSpan((j - i0) * n, j), h[j]);
                for (; r < end; r++)
                    for (int j = Math.Max(i0, r + 1); j < i1; j++)
                    {
                        if (h[j] == 0) continue;
                        var row = a.AsSpan(r * n, j);
                        var u = reflectors.AsSpan((j - i0) * n, j);
                        double w = TensorPrimitives.Dot(row, u) / h[j];
                        TensorPrimitives.MultiplyAdd(u, -w, row, row);
                    }
            });
        }
        MakeUnitRows(a, n, n - 1, n - 1);
    }

    /// <summary>
    /// row ← row − (row · u / h) u for the four rows starting at <paramref name="offset"/> (stride
    /// n), columns 0 … u.Length − 1: the four dot products share each load of u, then the four
    /// updates do. Per row the same arithmetic as the one-row path except the order of the sum.
    /// </summary>
    private static void ReflectFourRows(double[] a, int offset, int n, ReadOnlySpan<double> u, double h)
    {
        ref double r0 = ref a[offset];
        ref double ur = ref MemoryMarshal.GetReference(u);
        nuint s1 = (nuint)n, s2 = 2 * s1, s3 = 3 * s1;
        int length = u.Length, k = 0;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        for (; k + 8 <= length; k += 8)
        {
            nuint o = (nuint)k;
            var uk = Vector512.LoadUnsafe(ref ur, o);
            a0 += Vector512.LoadUnsafe(ref r0, o) * uk;
            a1 += Vector512.LoadUnsafe(ref r0, s1 + o) * uk;
            a2 += Vector512.LoadUnsafe(ref r0, s2 + o) * uk;
            a3 += Vector512.LoadUnsafe(ref r0, s3 + o) * uk;
        }
        double d0 = Vector512.Sum(a0), d1 = Vector512.Sum(a1), d2 = Vector512.Sum(a2), d3 = Vector512.Sum(a3);
        for (int t = k; t < length; t++)
        {
            double ut = u[t];
            d0 += a[offset + t] * ut;
            d1 += a[offset + n + t] * ut;
            d2 += a[offset + 2 * n + t] * ut;
            d3 += a[offset + 3 * n + t] * ut;
        }
        double w0 = -(d0 / h), w1 = -(d1 / h), w2 = -(d2 / h), w3 = -(d3 / h);
        Vector512<double> v0 = Vector512.Create(w0), v1 = Vector512.Create(w1), v2 = Vector512.Create(w2), v3 = Vector512.Create(w3);
        for (k = 0; k + 8 <= length; k += 8)
        {
            nuint o = (nuint)k;
            var uk = Vector512.LoadUnsafe(ref ur, o);
            (uk * v0 + Vector512.LoadUnsafe(ref r0, o)).StoreUnsafe(ref r0, o);
            (uk * v1 + Vector512.LoadUnsafe(ref r0, s1 + o)).StoreUnsafe(ref r0, s1 + o);
            (uk * v2 + Vector512.LoadUnsafe(ref r0, s2 + o)).StoreUnsafe(ref r0, s2 + o);
            (uk * v3 + Vector512.LoadUnsafe(ref r0, s3 + o)).StoreUnsafe(ref r0, s3 + o);
        }
        for (; k < length; k++)
        {
            double uk = u[k];
            a[offset + k] += uk * w0;
            a[offset + n + k] += uk * w1;
            a[offset + 2 * n + k] += uk * w2;
            a[offset + 3 * n + k] += uk * w3;
        }
    }

    /// <summary>The readable form of <see cref="FormQTransposed"/>: one reflector at a time, scalar loops.</summary>
    internal static void FormQTransposedReference(double[] a, int n, double[] h)
    {
        if (n == 0) return;
        for (int j = 1; j < n; j++)
        {
            MakeUnitRows(a, n, j - 1, j - 1);
            if (h[j] == 0) continue;
            var u = a.AsSpan(j * n, j);
            for (int r = 0; r < j; r++)
            {
                var row = a.AsSpan(r * n, j);
                double dot = 0;
                for (int k = 0; k < j; k++) dot += row[k] * u[k];
                double w = dot / h[j];
                for (int k = 0; k < j; k++) row[k] -= w * u[k];
            }
        }
        MakeUnitRows(a, n, n - 1, n - 1);
    }

    // ---------------------------------------------------------------------------------------
    // (3) Implicit QL with Wilkinson's shift on the tridiagonal (Golub and Van Loan §8.3; the
    // QL form of Numerical Recipes' tqli), deflating where |T[m, m+1]| ≤ 2⁻⁵² ‖T‖∞ (the normwise
    // test of tql2: every eigenvalue accurate to a few ulps of ‖T‖). A sweep over the unreduced
    // block l … m makes plane rotations in the planes (i, i+1), i = m−1 … l: row i+1 of the
    // vectors becomes s·row_i + c·row_{i+1} and row i becomes c·row_i − s·row_{i+1}. The rotations
    // depend only on T, so they are recorded and applied later, many sweeps at once.
    // ---------------------------------------------------------------------------------------

    /// <summary>Recorded QL sweeps: sweep k has Length[k] rotations (cos, sin) in the planes (Bottom[k]−1, Bottom[k]), (Bottom[k]−2, Bottom[k]−1), ….</summary>
    internal sealed class Rotations(int capacity)
    {
        public readonly double[] Cos = new double[capacity], Sin = new double[capacity];
        public readonly int[] Bottom = new int[capacity], Length = new int[capacity];
        public int Count, Sweeps;

        public int Capacity => Cos.Length;

        public void Add(double c, double s)
        {
            Cos[Count] = c;
            Sin[Count] = s;
            Count++;
        }

        /// <summary>Closes the sweep whose rotations were added since <paramref name="start"/> (<see cref="Count"/> then), bottom row <paramref name="bottom"/>.</summary>
        public void EndSweep(int start, int bottom)
        {
            if (Count == start) return;
            Bottom[Sweeps] = bottom;
            Length[Sweeps] = Count - start;
            Sweeps++;
        }

        public void Clear() => Count = Sweeps = 0;
    }

    /// <summary>
    /// Diagonalizes the tridiagonal (d, e) (e[i] = T[i, i−1]; overwritten), leaving the eigenvalues
    /// in <paramref name="d"/> (unsorted) and applying every rotation to the rows of
    /// <paramref name="m"/>: the fast kernel on batches of about 64 n rotations, or (reference)
    /// the scalar one after each sweep. Cancellation is checked every sweep and every strip.
    /// </summary>
    internal static void Diagonalize(double[] d, double[] e, double[] m, int n, bool reference, CancellationToken cancel)
    {
        if (n == 0) return;
        // e[i] = T[i, i+1] from here on; e[n−1] = 0.
        for (int i = 0; i < n - 1; i++) e[i] = e[i + 1];
        e[n - 1] = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0));
        double tolerance = Epsilon * norm;
        var log = new Rotations(reference ? n : Math.Max(64 * n, 4096));
        void Flush()
        {
            if (reference) ApplyRotationsReference(m, n, log);
            else ApplyRotations(m, n, log, cancel);
            log.Clear();
        }
        long budget = 30L * n;
        for (int l = 0; l < n; l++)
        {
            while (true)
            {
                int bottom = l;
                while (bottom < n - 1 && Math.Abs(e[bottom]) > tolerance) bottom++;
                if (bottom == l) break;
                if (--budget < 0) throw new ArithmeticException($"the symmetric eigen-decomposition did not converge in {30L * n} QL sweeps.");
                cancel.ThrowIfCancellationRequested();
                if (log.Capacity - log.Count < bottom - l) Flush();
                // Wilkinson's shift: the eigenvalue of the leading 2 × 2 of the block nearer d[l].
                double t = (d[l + 1] - d[l]) / (2 * e[l]);
                double shift = d[l] - e[l] / (t + Math.CopySign(double.Hypot(t, 1), t));
                // Chase from the bottom: the first rotation is that of the plain QL step on T − shift·I,
                // each next one restores the tridiagonal form (Golub and Van Loan's implicit symmetric
                // QR step, mirrored: the bulge is chased from the bottom up).
                double g = d[bottom] - shift, s = 1, c = 1, p = 0;
                bool split = false;
                int start = log.Count;
                for (int i = bottom - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    double r = double.Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // The rotation would be undefined: T split at i+1 already; restart on the smaller block.
                        d[i + 1] -= p;
                        e[bottom] = 0;
                        split = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    log.Add(c, s);
                }
                log.EndSweep(start, bottom);
                if (reference) Flush();
                if (split) continue;
                d[l] -= p;
                e[l] = g;
                e[bottom] = 0;
            }
        }
        Flush();
    }

    /// <summary>
    /// Applies the recorded sweeps, in order, to the rows of <paramref name="m"/> (n × n): each
    /// strip of <see cref="StripWidth"/> columns is copied to a contiguous buffer (the rows the
    /// batch touches, 128 bytes each, so consecutive rows are neighbours in memory and the strip
    /// stays in cache), takes every rotation there (<see cref="RotateStrip"/>) and is copied back;
    /// strips in parallel, the last n mod 16 columns (all columns where 256-bit vectors are not
    /// accelerated) one at a time in place. Measured on the development machine, one core: 3× the
    /// speed of the same kernel on the strided strip in place. Bit-identical to
    /// <see cref="ApplyRotationsReference"/>.
    /// </summary>
    internal static void ApplyRotations(double[] m, int n, Rotations log, CancellationToken cancel)
    {
        if (log.Sweeps == 0) return;
        int first = n, last = 0;
        for (int k = 0; k < log.Sweeps; k++)
        {
            first = Math.Min(first, log.Bottom[k] - log.Length[k]);
            last = Math.Max(last, log.Bottom[k]);
        }
        int rows = last - first + 1;
        int strips = Vector256.IsHardwareAccelerated ? n / StripWidth : 0, tail = n - strips * StripWidth;
        Parallel.For(0, strips + tail, new ParallelOptions { CancellationToken = cancel }, () => new double[rows * StripWidth], (k, _, buffer) =>
        {
            if (k >= strips)
            {
                RotateColumn(m, n, log, strips * StripWidth + (k - strips));
                return buffer;
            }
            int c0 = k * StripWidth;
            for (int r = 0; r < rows; r++) m.AsSpan((first + r) * n + c0, StripWidth).CopyTo(buffer.AsSpan(r * StripWidth, StripWidth));
            RotateStrip(buffer, first, log);
            for (int r = 0; r < rows; r++) buffer.AsSpan(r * StripWidth, StripWidth).CopyTo(m.AsSpan((first + r) * n + c0, StripWidth));
            return buffer;
        }, _ => { });
    }

    /// <summary>
    /// All recorded rotations on a strip of <see cref="StripWidth"/> columns held row after row in
    /// <paramref name="strip"/> (its row 0 is row <paramref name="first"/> of the matrix): for each
    /// sweep, its bottom row is carried in registers up to its top row, so each rotation loads one
    /// row and stores one.
    /// </summary>
    private static void RotateStrip(double[] strip, int first, Rotations log)
    {
        ref double m0 = ref MemoryMarshal.GetArrayDataReference(strip);
        double[] cos = log.Cos, sin = log.Sin;
        const nuint stride = StripWidth;
        int at = 0;
        for (int k = 0; k < log.Sweeps; k++)
        {
            int length = log.Length[k];
            nuint o = (nuint)(log.Bottom[k] - first) * stride;
            var y0 = Vector256.LoadUnsafe(ref m0, o);
            var y1 = Vector256.LoadUnsafe(ref m0, o + 4);
            var y2 = Vector256.LoadUnsafe(ref m0, o + 8);
            var y3 = Vector256.LoadUnsafe(ref m0, o + 12);
            for (int t = at; t < at + length; t++)
            {
                var c = Vector256.Create(cos[t]);
                var s = Vector256.Create(sin[t]);
                o -= stride;
                var x0 = Vector256.LoadUnsafe(ref m0, o);
                var x1 = Vector256.LoadUnsafe(ref m0, o + 4);
                var x2 = Vector256.LoadUnsafe(ref m0, o + 8);
                var x3 = Vector256.LoadUnsafe(ref m0, o + 12);
                (s * x0 + c * y0).StoreUnsafe(ref m0, o + stride);
                (s * x1 + c * y1).StoreUnsafe(ref m0, o + stride + 4);
                (s * x2 + c * y2).StoreUnsafe(ref m0, o + stride + 8);
                (s * x3 + c * y3).StoreUnsafe(ref m0, o + stride + 12);
                y0 = c * x0 - s * y0;
                y1 = c * x1 - s * y1;
                y2 = c * x2 - s * y2;
                y3 = c * x3 - s * y3;
            }
            y0.StoreUnsafe(ref m0, o);
            y1.StoreUnsafe(ref m0, o + 4);
            y2.StoreUnsafe(ref m0, o + 8);
            y3.StoreUnsafe(ref m0, o + 12);
            at += length;
        }
    }

    /// <summary>All recorded rotations on the single column <paramref name="col"/> (the columns right of the last whole strip).</summary>
    private static void RotateColumn(double[] m, int n, Rotations log, int col)
    {
        int at = 0;
        for (int k = 0; k < log.Sweeps; k++)
        {
            int length = log.Length[k];
            long o = (long)log.Bottom[k] * n + col;
            double y = m[o];
            for (int t = at; t < at + length; t++)
            {
                double c = log.Cos[t], s = log.Sin[t];
                o -= n;
                double x = m[o];
                m[o + n] = s * x + c * y;
                y = c * x - s * y;
            }
            m[o] = y;
            at += length;
        }
    }

    /// <summary>The readable form of <see cref="ApplyRotations"/>: each rotation on two whole rows, in the order made.</summary>
    internal static void ApplyRotationsReference(double[] m, int n, Rotations log)
    {
        int at = 0;
        for (int k = 0; k < log.Sweeps; k++)
        {
            for (int t = 0; t < log.Length[k]; t++)
            {
                int i = log.Bottom[k] - 1 - t;
                double c = log.Cos[at + t], s = log.Sin[at + t];
                var upper = m.AsSpan(i * n, n);
                var lower = m.AsSpan((i + 1) * n, n);
                for (int col = 0; col < n; col++)
                {
                    double x = upper[col], y = lower[col];
                    lower[col] = s * x + c * y;
                    upper[col] = c * x - s * y;
                }
            }
            at += log.Length[k];
        }
    }

    /// <summary>Sorts the eigenvalues ascending (ties in their order) and moves the rows of <paramref name="m"/> with them (cancellation checked every 64 rows moved).</summary>
    private static void SortAscending(double[] d, double[] m, int n, CancellationToken cancel)
    {
        var order = new int[n];
        for (int k = 0; k < n; k++) order[k] = k;
        var keys = (double[])d.Clone();
        Array.Sort(order, (x, y) => keys[x] != keys[y] ? keys[x].CompareTo(keys[y]) : x.CompareTo(y));
        // Row k of the result is row order[k]: follow each cycle of the permutation with one spare row.
        var done = new bool[n];
        var spare = new double[n];
        int moved = 0;
        for (int start = 0; start < n; start++)
        {
            d[start] = keys[order[start]];
            if (done[start] || order[start] == start) continue;
            m.AsSpan(start * n, n).CopyTo(spare);
            int k = start;
            while (true)
            {
                if ((++moved & 63) == 0) cancel.ThrowIfCancellationRequested();
                done[k] = true;
                int from = order[k];
                if (from == start)
                {
                    spare.CopyTo(m.AsSpan(k * n, n));
                    break;
                }
                m.AsSpan(from * n, n).CopyTo(m.AsSpan(k * n, n));
                k = from;
            }
        }
    }
}
