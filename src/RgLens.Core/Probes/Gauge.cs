using RgLens.Data;
using RgLens.Nn;

namespace RgLens.Probes;

/// <summary>
/// Fixes the two symmetries of a fully connected tanh layer before anything is compared (see
/// docs/theory-choices.md, "Gauge"). A unit and its outgoing weights can change sign together, and
/// units can be permuted, without changing what the network computes; a reading that depends on
/// either choice measures the initialization, not the network.
/// <list type="bullet">
/// <item><b>Sign</b>: each unit is oriented so that its pre-activation correlates positively with
/// the input's magnetization (the row mean of the input). When that correlation is below
/// <see cref="SignTolerance"/> in magnitude (a unit blind to the magnetization), the unit's own mean
/// pre-activation decides; a unit with neither keeps its sign.</item>
/// <item><b>Order</b>: units are ordered by the centroid of their effective receptive field
/// |W_l|·…·|W_1| on the input chain: the circular mean of site angles 2πi/N for a periodic chain
/// (sites counted from 0, so the chain starts at input site 0), the weighted mean of i for an open
/// one. Ties (a unit that sees the whole ring uniformly has no centroid) are broken by the
/// sign-fixed mean pre-activation, then by unit index.</item>
/// </list>
/// Both rules depend only on the function the network computes and on |W|, which no sign flip or
/// permutation of any layer changes, so every gauge-fixed reading is invariant under both.
/// </summary>
public static class Gauge
{
    /// <summary>|correlation| below which a unit's sign falls back to its own mean.</summary>
    public const double SignTolerance = 1e-6;

    /// <summary>The gauge of layer <paramref name="layer"/> (1 … depth) of <paramref name="network"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="inputs">The probe inputs (samples × N).</param>
    /// <param name="preActivations">The layer's pre-activations on those inputs.</param>
    /// <param name="periodic">Whether the input chain is a ring.</param>
    /// <param name="threads">Threads for the empirical field, when one is needed.</param>
    /// <param name="cancellation">Checked while the empirical field is computed.</param>
    /// <param name="magnetization"><see cref="Magnetization"/> of <paramref name="inputs"/> when the caller has it; computed when null.</param>
    /// <remarks>
    /// The receptive field is |W_l|⋯|W_1| when every layer up to <paramref name="layer"/> is dense;
    /// above a convolution there is no weight matrix to multiply, and the field is the empirical
    /// one (<see cref="EmpiricalField"/>), as for ONNX models.
    /// </remarks>
    public static UnitGauge Fix(Network network, int layer, SampleMatrix<float> inputs, SampleMatrix<float> preActivations, bool periodic,
        int threads = 1, CancellationToken cancellation = default, double[]? magnetization = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var field = network.Spec.Layers.Take(layer).All(l => l.Kind == LayerKind.Dense)
            ? ReceptiveField(network, layer, threads)
            : EmpiricalField(preActivations, inputs, threads, cancellation);
        return Fix(field, network.Spec.InputWidth, inputs, preActivations, periodic, threads, magnetization);
    }

    /// <summary>The gauge from a receptive field (units × N, nonnegative), the inputs and the pre-activations.</summary>
    /// <param name="receptiveField">Units × input sites, nonnegative.</param>
    /// <param name="inputWidth">Input sites.</param>
    /// <param name="inputs">The samples the pre-activations were computed on.</param>
    /// <param name="preActivations">The layer's pre-activations (samples × units).</param>
    /// <param name="periodic">Whether the input chain is a ring (centroids on the circle).</param>
    /// <param name="threads">Threads for the pass over the pre-activations.</param>
    /// <param name="magnetization"><see cref="Magnetization"/> of <paramref name="inputs"/> when the caller has it (the same for every layer of one probe); computed when null.</param>
    public static UnitGauge Fix(double[,] receptiveField, int inputWidth, SampleMatrix<float> inputs, SampleMatrix<float> preActivations, bool periodic,
        int threads = 1, double[]? magnetization = null)
    {
        int units = preActivations.Columns, rows = preActivations.Rows;
        if (receptiveField.GetLength(0) != units || receptiveField.GetLength(1) != inputWidth)
            throw new ArgumentException("the receptive field does not match the layer.");
        if (inputs.Rows != rows) throw new ArgumentException("inputs and pre-activations must have the same rows.");

        // Sign: covariance with the input's magnetization (the arithmetic of Sign, by rows so that a
        // wide layer is read in one pass instead of one strided column at a time).
        var magnet = magnetization ?? Magnetization(inputs);
        if (magnet.Length != rows) throw new ArgumentException("the magnetization must have one value per sample.", nameof(magnetization));
        double mm = magnet.Average(), vm = 0;
        var ma = new double[units];
        var cov = new double[units];
        var va = new double[units];
        for (int r = 0; r < rows; r++)
        {
            double e = magnet[r] - mm;
            vm += e * e;
        }
        // Units in one part per thread: each unit's sums keep their order (vectors hold several
        // units, never several rows of one), so the bits depend neither on the threads nor on the vectors.
        int parts = Math.Clamp(threads, 1, Math.Max(1, units));
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int j0 = (int)((long)part * units / parts), j1 = (int)((long)(part + 1) * units / parts);
            var sum = ma.AsSpan(j0, j1 - j0);
            for (int r = 0; r < rows; r++) Numerics.ColumnAccumulate.Add(preActivations.Row(r)[j0..j1], sum);
            for (int j = j0; j < j1; j++) ma[j] /= rows;
            for (int r = 0; r < rows; r++)
                Numerics.ColumnAccumulate.AddCentered(preActivations.Row(r)[j0..j1], ma.AsSpan(j0, j1 - j0), magnet[r] - mm,
                    cov.AsSpan(j0, j1 - j0), va.AsSpan(j0, j1 - j0));
        });
        var signs = new int[units];
        var means = new double[units];
        for (int j = 0; j < units; j++)
        {
            double corr = va[j] > 0 && vm > 0 ? cov[j] / Math.Sqrt(va[j] * vm) : 0;
            signs[j] = Math.Abs(corr) >= SignTolerance ? Math.Sign(corr) : ma[j] < 0 ? -1 : 1;
            means[j] = signs[j] * ma[j];
        }

        // Order: centroid of the receptive field.
        var centroids = new double[units];
        for (int j = 0; j < units; j++)
        {
            double w = 0, c = 0, s = 0, lin = 0;
            for (int i = 0; i < inputWidth; i++)
            {
                double f = receptiveField[j, i];
                w += f;
                lin += f * i;
                double angle = 2 * Math.PI * i / inputWidth;
                c += f * Math.Cos(angle);
                s += f * Math.Sin(angle);
            }
            if (!(w > 0)) { centroids[j] = double.NaN; continue; }
            if (!periodic) { centroids[j] = lin / w; continue; }
            double resultant = Math.Sqrt(c * c + s * s) / w;
            if (resultant < 1e-9) { centroids[j] = double.NaN; continue; }
            double a = Math.Atan2(s, c);
            if (a < 0) a += 2 * Math.PI;
            centroids[j] = a * inputWidth / (2 * Math.PI);
        }
        var order = Enumerable.Range(0, units)
            .OrderBy(j => double.IsNaN(centroids[j]) ? double.PositiveInfinity : Math.Round(centroids[j], 9))
            .ThenBy(j => means[j])
            .ThenBy(j => j)
            .ToArray();
        return new UnitGauge(order, signs, centroids);
    }

    /// <summary>The row means of the input (its magnetization per sample).</summary>
    public static double[] Magnetization(SampleMatrix<float> inputs)
    {
        var magnet = new double[inputs.Rows];
        for (int r = 0; r < inputs.Rows; r++)
        {
            double s = 0;
            foreach (float v in inputs.Row(r)) s += v;
            magnet[r] = s / inputs.Columns;
        }
        return magnet;
    }

    /// <summary>The sign rule for one unit (or one channel's mean): +1 or −1.</summary>
    public static int Sign(IReadOnlyList<double> preActivation, IReadOnlyList<double> magnetization)
    {
        int rows = preActivation.Count;
        double ma = preActivation.Average(), mm = magnetization.Average(), cov = 0, va = 0, vm = 0;
        for (int r = 0; r < rows; r++)
        {
            double d = preActivation[r] - ma, e = magnetization[r] - mm;
            cov += d * e;
            va += d * d;
            vm += e * e;
        }
        double corr = va > 0 && vm > 0 ? cov / Math.Sqrt(va * vm) : 0;
        return Math.Abs(corr) >= SignTolerance ? Math.Sign(corr) : ma < 0 ? -1 : 1;
    }

    /// <summary>|W_l|·…·|W_1| (units of layer l × input sites).</summary>
    public static double[,] ReceptiveField(Network network, int layer, int threads = 1) => Products(DenseChain(network, layer), threads, everyLayer: false)[^1];

    /// <summary>
    /// The receptive fields of layers 1 … <paramref name="layers"/> (every one dense), each product
    /// built on the one below it: the same bits as <see cref="ReceptiveField(Network, int, int)"/>
    /// layer by layer, without multiplying the lower layers again for each.
    /// </summary>
    public static IReadOnlyList<double[,]> ReceptiveFields(Network network, int layers, int threads = 1)
    {
        return Products(DenseChain(network, layers), threads, everyLayer: true);
    }

    /// <summary>Layers 1 … <paramref name="layers"/> of <paramref name="network"/> as dense weights.</summary>
    private static Networks.DenseWeights[] DenseChain(Network network, int layers)
    {
        ArgumentNullException.ThrowIfNull(network);
        var widths = network.Spec.Widths;
        if (layers < 1 || layers > network.Depth) throw new ArgumentOutOfRangeException(nameof(layers), layers, $"layers are 1 … {network.Depth}.");
        return Enumerable.Range(1, layers).Select(l => new Networks.DenseWeights(network.GetWeights(l), widths[l], widths[l - 1])).ToArray();
    }

    /// <summary>
    /// |W_k|·…·|W_1| (units of the last layer × input sites) of a chain of dense layers, W_1 on the
    /// input first (each outputs × inputs): the receptive field of an RgLens network's layer, or of
    /// an ONNX model's layer whose weights are stored (<see cref="Networks.OnnxDenseWeights"/>).
    /// </summary>
    public static double[,] ReceptiveField(IReadOnlyList<Networks.DenseWeights> chain, int threads = 1) => Products(chain, threads, everyLayer: false)[^1];

    /// <summary>The normalized products of every prefix of <paramref name="chain"/>: entry k is layer k + 1's field.</summary>
    /// <remarks>With <paramref name="everyLayer"/> false only the last entry is filled (the others are not copied out).</remarks>
    private static double[][,] Products(IReadOnlyList<Networks.DenseWeights> chain, int threads, bool everyLayer)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0) throw new ArgumentException("a receptive field needs at least one layer.", nameof(chain));
        for (int l = 1; l < chain.Count; l++)
            if (chain[l].Inputs != chain[l - 1].Outputs) throw new ArgumentException($"layer {l + 1} takes {chain[l].Inputs} inputs; layer {l} has {chain[l - 1].Outputs} units.", nameof(chain));
        int n = chain[0].Inputs;
        double[]? field = null; // null: the identity, so layer 1's field is |W_1| itself
        var fields = new double[chain.Count][,];
        for (int index = 0; index < chain.Count; index++)
        {
            field = Step(field, chain[index], n, threads);
            if (everyLayer || index == chain.Count - 1) fields[index] = ToMatrix(field, chain[index].Outputs, n);
        }
        return fields;
    }

    /// <summary>
    /// One layer of the running product: |W|·<paramref name="below"/> (outputs × n, row-major),
    /// the whole matrix rescaled by one number to a largest entry of 1 so that deep products stay
    /// finite; <paramref name="below"/> null stands for the identity. One common factor changes no
    /// centroid; a factor per row would (it would reweight the units below, so the field would no
    /// longer be |W_l|⋯|W_1|: before 2026-12-03 each row was rescaled alone, which ordered the
    /// units of layers 2 and above by a differently weighted product).
    /// </summary>
    internal static double[] Step(double[]? below, Networks.DenseWeights layer, int n, int threads)
    {
        var w = layer.Values;
        int outs = layer.Outputs, ins = layer.Inputs;
        var next = new double[(long)outs * n];
        // Rows are independent: the same bits on any number of threads.
        Parallel.For(0, outs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, o =>
        {
            var dst = next.AsSpan(o * n, n);
            for (int k = 0; k < ins; k++)
            {
                double a = Math.Abs(w[o * ins + k]);
                if (a == 0) continue;
                if (below is null) { dst[k] += a; continue; }
                AddScaled(dst, a, below.AsSpan(k * n, n));
            }
        });
        double max = 0;
        foreach (double v in next) max = Math.Max(max, v);
        if (max > 0 && double.IsFinite(max))
        {
            double inverse = 1 / max;
            for (long i = 0; i < next.LongLength; i++) next[i] *= inverse;
        }
        return next;
    }

    /// <summary>A row-major product (<see cref="Step"/>) as a units × sites matrix.</summary>
    internal static double[,] ToMatrix(double[] field, int units, int n)
    {
        var result = new double[units, n];
        for (int o = 0; o < units; o++)
            for (int i = 0; i < n; i++) result[o, i] = field[o * n + i];
        return result;
    }

    /// <summary>dst += a · src, element by element (a multiply then an add, as the scalar loop did).</summary>
    private static void AddScaled(Span<double> dst, double a, ReadOnlySpan<double> src)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var va = new System.Numerics.Vector<double>(a);
            int lanes = System.Numerics.Vector<double>.Count;
            for (; i <= dst.Length - lanes; i += lanes)
                (new System.Numerics.Vector<double>(dst[i..]) + va * new System.Numerics.Vector<double>(src[i..])).CopyTo(dst[i..]);
        }
        for (; i < dst.Length; i++) dst[i] += a * src[i];
    }

    /// <summary>
    /// |corr(a_j, x_i)| (units × inputs) over the samples: the empirical receptive field of units
    /// whose weights are not at hand (an ONNX graph). Invariant under sign flips and permutations
    /// of the units. The cross-products come from <see cref="Numerics.CrossProducts"/> (float32
    /// chunks summed in double).
    /// </summary>
    public static double[,] EmpiricalField(SampleMatrix<float> preActivations, SampleMatrix<float> inputs, int threads = 1, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(preActivations);
        ArgumentNullException.ThrowIfNull(inputs);
        int n = preActivations.Rows, m = preActivations.Columns, d = inputs.Columns;
        var ma = Numerics.CrossProducts.ColumnMeans<float>(preActivations);
        var mx = Numerics.CrossProducts.ColumnMeans<float>(inputs);
        var cov = Numerics.CrossProducts.Centered<float, float>(preActivations, ma, inputs, mx, threads, cancellation);
        var va = SquaredDeviations(preActivations, ma);
        var vx = SquaredDeviations(inputs, mx);
        var field = new double[m, d];
        for (int j = 0; j < m; j++)
            for (int i = 0; i < d; i++)
                field[j, i] = va[j] > 0 && vx[i] > 0 ? Math.Min(1, Math.Abs(cov[(long)j * d + i]) / Math.Sqrt(va[j] * vx[i])) : 0;
        return field;
    }

    private static double[] SquaredDeviations(SampleMatrix<float> x, double[] mean)
    {
        var s = new double[x.Columns];
        for (int r = 0; r < x.Rows; r++) Numerics.ColumnAccumulate.AddSquaredDeviations(x.Row(r), mean, s);
        return s;
    }
}
