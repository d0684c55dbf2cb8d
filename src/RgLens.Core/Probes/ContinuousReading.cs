using System.Runtime.Intrinsics;
using MathNet.Numerics.Distributions;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;

namespace RgLens.Probes;

/// <summary>
/// The continuous reading: the gauge-fixed activations through a Gaussian copula. Each unit's
/// values are replaced by normal scores Φ⁻¹((rank − ½)/n) (ties share their mean rank), which
/// removes whatever marginal the activation has (bounded tanh outputs, saturated tails) and keeps
/// only the dependence between units; the coupling is the mean Pearson correlation ρ of the scores
/// of neighbouring units in chain order. ρ is bounded in [−1, 1], never explodes on saturated
/// units, and is 0 for independent units, so it is compared with "no coupling" only, not with a
/// family's K. A unit that is constant on the probe samples carries no dependence: it is left
/// out of the neighbour pairs and named in a warning. Within-network standard error: bootstrap
/// over samples with the scores held fixed.
/// </summary>
public sealed class ContinuousReading : IReading
{
    /// <inheritdoc/>
    public string Id => "continuous";

    /// <inheritdoc/>
    public string Description => "activations as Gaussian-copula normal scores; coupling = mean neighbour correlation ρ";

    /// <inheritdoc/>
    public bool IsingScale => false;

    /// <inheritdoc/>
    public double RelativeCost => 2; // ranking every unit and an M × M product: about twice a binary reading

    /// <inheritdoc/>
    public bool CopiesLayer => true; // the column-major scores, samples × units floats

    /// <inheritdoc/>
    public ReadingMeasurement Read(ReadingInput input)
    {
        int n = input.Activations.Rows, m = input.Activations.Columns;
        if (m < 2) throw new ArgumentException($"a layer needs at least 2 units to be read as a chain; got {m}.");
        // Column-major copy of the gauge-fixed activations: ranking, means and neighbour sums all
        // walk one unit at a time, and the scores overwrite the values in place.
        var columns = Transposed(input.Activations, input.Gauge);
        var means = Numerics.CrossProducts.MeansOfColumns(columns, n, Enumerable.Range(0, m).ToArray());
        input.Cancellation.ThrowIfCancellationRequested();
        var constant = NormalScoresInPlace(columns, n, m, input);
        var warnings = new List<string>();
        if (constant.Count > 0) warnings.Add($"{constant.Count} of {m} unit(s) are constant on the probe samples and carry no dependence; left out of ρ.");
        var pairs = NeighbourPairs(m, input.Boundary).Where(p => !constant.Contains(p.A) && !constant.Contains(p.B)).ToArray();
        var (rho, se) = MeanCorrelation(columns, n, m, pairs, input);
        input.Cancellation.ThrowIfCancellationRequested();
        var live = Enumerable.Range(0, m).Where(c => !constant.Contains(c)).ToArray();
        double mi = live.Length >= 2 ? MultiInformation.GaussianOfColumns(columns, n, live, input.Threads, input.Cancellation, () => input.ThreadsNow) : 0;
        if (MultiInformation.SingularWarning(mi) is { } singular) warnings.Add(singular);
        ScratchArrays.Return(columns);
        return new ReadingMeasurement(Id, m, pairs.Length == 0 ? new ParameterEstimate("rho", double.NaN, double.NaN, double.NaN, double.NaN)
                : BinaryChainReading.Estimate("rho", rho, se),
            null, null, null, null, null, means, null, mi, null, warnings);
    }

    /// <summary>Columns ranked per parallel step: about 0.1 s of work at 100,000 samples, after which the threads are asked for again.</summary>
    private const int ColumnsPerStep = 32;

    /// <summary>
    /// Replaces each column (column-major, n values per unit) by its normal scores
    /// Φ⁻¹((rank − ½)/n), ties sharing their mean rank; a constant column becomes all 0 and is
    /// returned. Columns are independent, so threads change nothing but the speed; they are taken
    /// anew (<see cref="ReadingInput.ThreadsNow"/>) for every <see cref="ColumnsPerStep"/> columns.
    /// </summary>
    private static HashSet<int> NormalScoresInPlace(float[] columns, int n, int m, ReadingInput input)
    {
        // Untied ranks 1 … n map to one table; tie groups (rare except for saturated units) compute their own.
        var table = new float[n];
        for (int i = 0; i < n; i++) table[i] = (float)Normal.InvCDF(0, 1, (i + 0.5) / n);
        var isConstant = new bool[m];
        var scratch = new System.Collections.Concurrent.ConcurrentBag<(Numerics.FloatRadixSort Sorter, ulong[] Sorted)>();
        for (int first = 0; first < m; first += ColumnsPerStep)
        {
            input.Cancellation.ThrowIfCancellationRequested();
            Parallel.For(first, Math.Min(m, first + ColumnsPerStep), new ParallelOptions { MaxDegreeOfParallelism = input.ThreadsNow },
                () => scratch.TryTake(out var kept) ? kept : (new Numerics.FloatRadixSort(), new ulong[n]),
                (j, _, s) =>
                {
                    isConstant[j] = ScoreColumn(columns.AsSpan((int)((long)j * n), n), table, s.Item1, s.Item2);
                    return s;
                }, scratch.Add);
        }
        var constant = new HashSet<int>();
        for (int j = 0; j < m; j++) if (isConstant[j]) constant.Add(j);
        return constant;
    }

    /// <summary>One column's normal scores in place (<see cref="NormalScoresInPlace"/>); true when the column is constant (then all 0).</summary>
    private static bool ScoreColumn(Span<float> col, float[] table, Numerics.FloatRadixSort sorter, ulong[] sorted)
    {
        int n = col.Length;
        sorter.SortWithRows(col, sorted);
        if (Numerics.FloatRadixSort.KeyOf(sorted[0]) == Numerics.FloatRadixSort.KeyOf(sorted[n - 1]))
        {
            col.Clear();
            return true;
        }
        int start = 0;
        float key = Numerics.FloatRadixSort.KeyOf(sorted[0]);
        while (start < n)
        {
            int end = start;
            float next = 0;
            while (end + 1 < n && (next = Numerics.FloatRadixSort.KeyOf(sorted[end + 1])) == key) end++;
            float score = end == start ? table[start] : (float)Normal.InvCDF(0, 1, ((start + end) / 2.0 + 0.5) / n);
            for (int k = start; k <= end; k++) col[Numerics.FloatRadixSort.PayloadOf(sorted[k])] = score;
            start = end + 1;
            key = next;
        }
        return false;
    }

    /// <summary>
    /// The column-major copy (units × samples) of the gauge-fixed matrix: site k's column holds
    /// ±(the network's unit Order[k]), moved by 8 × 8 blocks (<see cref="Numerics.Transpose8.ToColumns"/>):
    /// each unit goes to its site, multiplied by its sign.
    /// </summary>
    private static float[] Transposed(SampleMatrix<float> z, UnitGauge gauge)
    {
        int n = z.Rows, m = z.Columns;
        if (m != gauge.Order.Count) throw new ArgumentException($"the gauge has {gauge.Order.Count} units; the matrix has {m} columns.");
        var site = new int[m];
        var sign = new float[m];
        for (int k = 0; k < m; k++) site[gauge.Order[k]] = k;
        for (int u = 0; u < m; u++) sign[u] = gauge.Signs[u] < 0 ? -1f : 1f;
        Data.MemoryBudget.RequireMatrix("the continuous reading's scores", n, m, sizeof(float));
        // Rented: a fresh array of this size costs about 3 s per GB in page faults on first touch;
        // the pool hands the same (already touched) memory to the next layer. Every entry is written below.
        var t = ScratchArrays.Rent<float>((long)n * m);
        Numerics.Transpose8.ToColumns(z.Data.AsSpan(0, n * m), n, m, site, sign, t.AsSpan(0, n * m));
        return t;
    }

    private static ReadOnlySpan<float> Column(float[] columns, int n, int j) => columns.AsSpan((int)((long)j * n), n);

    internal static (int A, int B)[] NeighbourPairs(int m, Boundary boundary)
    {
        var list = new List<(int, int)>();
        for (int j = 0; j + 1 < m; j++) list.Add((j, j + 1));
        if (boundary == Boundary.Periodic && m > 2) list.Add((m - 1, 0));
        return list.ToArray();
    }

    /// <summary>
    /// ρ̄, the mean over neighbour pairs of the Pearson correlation of the scores, and its bootstrap
    /// standard error over blocks of rows (<see cref="Bootstrap.Blocks"/>: single rows up to 4096
    /// samples). Per block the sums Σx, Σx² per unit and Σxy per pair are kept, so a replicate
    /// costs blocks × (2 units + pairs) additions, not samples × pairs.
    /// </summary>
    private static (double Rho, double Se) MeanCorrelation(float[] columns, int n, int m, (int A, int B)[] pairs, ReadingInput input)
    {
        if (pairs.Length == 0) return (double.NaN, double.NaN);
        var starts = Bootstrap.Blocks(n);
        int blocks = starts.Length - 1, p = pairs.Length, width = 2 * m + p;
        // Per block: Σx (m), Σx² (m), Σxy (p).
        Data.MemoryBudget.RequireMatrix("the continuous reading's bootstrap sums", blocks, width, sizeof(double));
        var stats = System.Buffers.ArrayPool<double>.Shared.Rent(checked(blocks * width)); // every entry is written below
        try
        {
            return MeanCorrelation(columns, n, m, pairs, input, starts, stats);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(stats);
        }
    }

    private static (double Rho, double Se) MeanCorrelation(float[] columns, int n, int m, (int A, int B)[] pairs, ReadingInput input, int[] starts, double[] stats)
    {
        int blocks = starts.Length - 1, p = pairs.Length, width = 2 * m + p;
        // Four columns (or pairs) at a time, one vector lane each: four independent sums instead of one
        // chain of dependent additions, each lane's sum in the scalar loop's order (the same bits).
        Parallel.For(0, (m + 3) / 4, new ParallelOptions { MaxDegreeOfParallelism = input.ThreadsNow }, g =>
        {
            int j0 = 4 * g, count = Math.Min(4, m - j0);
            var c0 = Column(columns, n, j0);
            var c1 = Column(columns, n, j0 + Math.Min(1, count - 1));
            var c2 = Column(columns, n, j0 + Math.Min(2, count - 1));
            var c3 = Column(columns, n, j0 + Math.Min(3, count - 1));
            for (int b = 0; b < blocks; b++)
            {
                var s1 = Vector256<double>.Zero;
                var s2 = Vector256<double>.Zero;
                for (int r = starts[b]; r < starts[b + 1]; r++)
                {
                    var x = Vector256.Create((double)c0[r], c1[r], c2[r], c3[r]);
                    s1 += x;
                    s2 += x * x;
                }
                long row = (long)b * width;
                for (int l = 0; l < count; l++)
                {
                    stats[row + j0 + l] = s1.GetElement(l);
                    stats[row + m + j0 + l] = s2.GetElement(l);
                }
            }
        });
        Parallel.For(0, (p + 3) / 4, new ParallelOptions { MaxDegreeOfParallelism = input.ThreadsNow }, g =>
        {
            int q0 = 4 * g, count = Math.Min(4, p - q0);
            var (p0, p1, p2, p3) = (pairs[q0], pairs[q0 + Math.Min(1, count - 1)], pairs[q0 + Math.Min(2, count - 1)], pairs[q0 + Math.Min(3, count - 1)]);
            ReadOnlySpan<float> a0 = Column(columns, n, p0.A), a1 = Column(columns, n, p1.A), a2 = Column(columns, n, p2.A), a3 = Column(columns, n, p3.A);
            ReadOnlySpan<float> b0 = Column(columns, n, p0.B), b1 = Column(columns, n, p1.B), b2 = Column(columns, n, p2.B), b3 = Column(columns, n, p3.B);
            for (int b = 0; b < blocks; b++)
            {
                var s = Vector256<double>.Zero;
                for (int r = starts[b]; r < starts[b + 1]; r++)
                    s += Vector256.Create((double)a0[r], a1[r], a2[r], a3[r]) * Vector256.Create((double)b0[r], b1[r], b2[r], b3[r]);
                long row = (long)b * width + 2 * m;
                for (int l = 0; l < count; l++) stats[row + q0 + l] = s.GetElement(l);
            }
        });
        var total = new double[width];
        for (int b = 0; b < blocks; b++) System.Numerics.Tensors.TensorPrimitives.Add(total, stats.AsSpan((int)((long)b * width), width), total);
        double rho = Rho(total, n, m, pairs);
        if (input.Replicates < 2) return (rho, double.NaN);
        var reps = new double[input.Replicates];
        if (m > Estimation.IsingFieldChain.OneStepAbove)
        {
            // Wide layers: each replicate linearized around the full-data estimate, as the
            // one-step bootstrap of the Ising readings (first-order agreement in 1/√n):
            // ρ̄* = ρ̄ + Σ_drawn ψ_b / n*, with ψ_b block b's influence, one number per block,
            // so a replicate costs blocks additions instead of blocks × (2 units + pairs).
            var psi = Influence(stats, starts, total, n, m, pairs);
            for (int r = 0; r < reps.Length; r++)
            {
                input.Cancellation.ThrowIfCancellationRequested();
                var rng = Numerics.RandomStream.For(input.Seed, "copula-bootstrap", r);
                double sum = 0;
                long drawn = 0;
                for (int i = 0; i < blocks; i++)
                {
                    int b = rng.NextInt(blocks);
                    drawn += starts[b + 1] - starts[b];
                    sum += psi[b];
                }
                reps[r] = rho + sum / drawn;
            }
            return (rho, Bootstrap.StandardDeviation(reps));
        }
        Parallel.For(0, reps.Length, new ParallelOptions { MaxDegreeOfParallelism = input.ThreadsNow, CancellationToken = input.Cancellation },
            () => new double[width], (r, _, acc) =>
            {
                var rng = Numerics.RandomStream.For(input.Seed, "copula-bootstrap", r);
                Array.Clear(acc);
                long drawn = 0;
                for (int i = 0; i < blocks; i++)
                {
                    int b = rng.NextInt(blocks);
                    drawn += starts[b + 1] - starts[b];
                    System.Numerics.Tensors.TensorPrimitives.Add(acc, stats.AsSpan((int)((long)b * width), width), acc);
                }
                reps[r] = Rho(acc, drawn, m, pairs);
                return acc;
            }, _ => { });
        return (rho, Bootstrap.StandardDeviation(reps));
    }

    /// <summary>
    /// ψ_b = Σ_k g_k (S_bk − size_b μ_k): block b's sums against its share of the full-data means
    /// μ = total/n, weighted by the gradient g of ρ̄ in those means (per pair, with s = √(v_a v_b):
    /// ∂ρ/∂E[xy] = 1/s, ∂ρ/∂E[x_a] = −μ_b/s + ρ μ_a/v_a, ∂ρ/∂E[x_a²] = −ρ/(2 v_a)).
    /// </summary>
    private static double[] Influence(double[] stats, int[] starts, double[] total, int n, int m, (int A, int B)[] pairs)
    {
        int p = pairs.Length, width = 2 * m + p, blocks = starts.Length - 1;
        var mean = new double[width];
        for (int k = 0; k < width; k++) mean[k] = total[k] / n;
        var g = new double[width];
        for (int q = 0; q < p; q++)
        {
            var (a, b) = pairs[q];
            double ma = mean[a], mb = mean[b];
            double va = mean[m + a] - ma * ma, vb = mean[m + b] - mb * mb;
            if (!(va > 0 && vb > 0)) continue;
            double sd = Math.Sqrt(va * vb), r = (mean[2 * m + q] - ma * mb) / sd;
            g[2 * m + q] += 1 / (sd * p);
            g[a] += (-mb / sd + r * ma / va) / p;
            g[b] += (-ma / sd + r * mb / vb) / p;
            g[m + a] += -0.5 * r / va / p;
            g[m + b] += -0.5 * r / vb / p;
        }
        var psi = new double[blocks];
        for (int bl = 0; bl < blocks; bl++)
        {
            var row = stats.AsSpan((int)((long)bl * width), width);
            int size = starts[bl + 1] - starts[bl];
            double s = 0;
            for (int k = 0; k < width; k++) s += g[k] * (row[k] - size * mean[k]);
            psi[bl] = s;
        }
        return psi;
    }

    private static double Rho(double[] sums, long n, int m, (int A, int B)[] pairs)
    {
        double total = 0;
        for (int q = 0; q < pairs.Length; q++)
        {
            var (a, b) = pairs[q];
            double sa = sums[a], sb = sums[b], saa = sums[m + a], sbb = sums[m + b], sab = sums[2 * m + q];
            double cov = sab / n - sa / n * (sb / n), va = saa / n - sa / n * (sa / n), vb = sbb / n - sb / n * (sb / n);
            total += va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
        }
        return total / pairs.Length;
    }
}
