using System.Numerics.Tensors;
using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Sampling;

/// <summary>
/// Exact forward filtering–backward sampling on a grid for the families without a closed-form
/// sampler (docs/theory.md, "Transfer matrices and exact oracles"; docs/families.md, "Sampling on a grid"). Counts and occupations are
/// sampled on their exact (or truncated) support. For continuous supports every sample gives
/// every site its own uniform random offset s_i ∈ [0, Δ) of the grid (in its uniform coordinate),
/// then samples the chain exactly on those shifted grids: backward messages β_i from the end,
/// then each site from its exact conditional given the previous one. A shifted trapezoid rule is
/// as accurate as the unshifted one for every offset, so the sampled density is the exact density
/// times a factor within the grid's accuracy, and the values are continuous (no lattice, no
/// within-cell bias). A ring first draws x_1 from its exact marginal (the kernel's N-th power
/// evaluated at the shifted nodes) and then the open chain x_2 … x_N given x_1.
/// Rows 64k … 64k + 63 use the stream <c>Derive(seed, "grid-sampler", k)</c>.
/// Cost per sample: O(N n²) (a matrix-vector product per site on grids uniform in x; n² exponentials
/// per site on the logarithmic grid of the Gamma chain), plus O(n³) for a ring's first site.
/// </summary>
public static class GridChainSampler
{
    /// <summary>Rows that share one random stream.</summary>
    public const int RowsPerStream = RowBlocks.RowsPerStream;

    /// <summary>Draws <paramref name="samples"/> configurations of <paramref name="model"/>.</summary>
    public static SampleMatrix<double> Sample(ChainModel model, int samples, ulong seed, int threads = 0, CancellationToken cancellation = default, GridOptions? grid = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var result = new SampleMatrix<double>(samples, model.Length);
        SampleInto(model, seed, 0, result, threads, cancellation, grid);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> with rows <paramref name="firstRow"/> … of the sample stream for (model, seed).</summary>
    public static void SampleInto(ChainModel model, ulong seed, long firstRow, SampleMatrix<double> destination, int threads = 0,
        CancellationToken cancellation = default, GridOptions? grid = null)
    {
        model.Validated();
        grid ??= GridOptions.Default;
        grid.Validate();
        var plan = GridSamplingPlan.Build(model, grid);
        RowBlocks.Run(model, firstRow, destination.Rows, destination.Columns, threads, cancellation, () => new Workspace(plan), (stream, r0, r1, work) =>
        {
            var rng = RandomStream.For(seed, "grid-sampler", stream);
            for (int r = r0; r < r1; r++) SampleRow(plan, work, rng, destination.Row(r));
        });
    }

    /// <summary>The grid a model is sampled on, with its accuracy.</summary>
    public static GridReport GridFor(ChainModel model, GridOptions? grid = null)
    {
        model.Validated();
        return GridSamplingPlan.Build(model, grid ?? GridOptions.Default).Report;
    }

    /// <summary>Per-thread buffers.</summary>
    internal sealed class Workspace(GridSamplingPlan plan)
    {
        public readonly double[] Offset = new double[plan.Length];
        public readonly double[] Half = new double[plan.Length * plan.Size];   // h_i(j) = ½ ln g at site i's nodes
        public readonly double[] Forward = new double[plan.Length * plan.Size]; // v_i: the weights the forward step multiplies by S (or M)
        public readonly double[] Beta = new double[plan.Size];
        public readonly double[] Temp = new double[plan.Size];
        public readonly double[] Bond = new double[plan.Size * plan.Size];
        public readonly double[] Values = new double[plan.Size];
        public readonly int[] Index = new int[plan.Length];
    }

    internal static void SampleRow(GridSamplingPlan plan, Workspace w, RandomStream rng, Span<double> row)
    {
        int n = plan.Size, len = plan.Length;
        var grid = plan.Grid;
        double[] baseHalf = plan.Kernel.LogU;
        // Offsets and the half log weights of every site's nodes.
        for (int i = 0; i < len; i++)
        {
            w.Offset[i] = plan.Offsets ? grid.Spacing * rng.NextDouble() : 0.0;
            var half = w.Half.AsSpan(i * n, n);
            if (!plan.Offsets) baseHalf.CopyTo(half);
            else plan.HalfLogWeights(w.Offset[i], w.Values, half);
        }
        int first = 0;
        double x1 = 0;
        if (plan.Periodic)
        {
            w.Index[0] = first = DrawFirstOfRing(plan, w, rng);
            x1 = Value(plan, 0, first, w);
        }
        Backward(plan, w, x1);
        if (!plan.Periodic)
        {
            // P(j_1) ∝ e^{h_1(j)} β_1(j), with β_1 = the message into site 1.
            double top = MaxOf(w.Half.AsSpan(0, n));
            for (int j = 0; j < n; j++) w.Temp[j] = Math.Exp(w.Half[j] - top) * w.Beta[j];
            w.Index[0] = Draw(w.Temp, rng);
        }
        for (int i = 0; i + 1 < len; i++)
        {
            ForwardWeights(plan, w, i, w.Index[i], w.Temp);
            w.Index[i + 1] = Draw(w.Temp, rng);
        }
        for (int i = 0; i < len; i++) row[i] = Value(plan, i, w.Index[i], w);
    }

    /// <summary>
    /// β_N = e^{h_N} (open) or e^{h_N(k) + K x_N(k) x_1} (ring); β_i = Σ_k M_i(·, k) β_{i+1}(k) down to
    /// site 1 (open) or 2 (ring), storing v_{i+1} = R_i ∘ β_{i+1} (separable) or β_{i+1} (general) for the forward step.
    /// </summary>
    private static void Backward(GridSamplingPlan plan, Workspace w, double x1)
    {
        int n = plan.Size, len = plan.Length, stop = plan.Periodic ? 1 : 0; // the last site whose message is needed
        double k = plan.Coupling;
        var beta = w.Beta;
        var halfN = w.Half.AsSpan((len - 1) * n, n);
        for (int j = 0; j < n; j++) w.Temp[j] = halfN[j] + (plan.Periodic ? k * Value(plan, len - 1, j, w) * x1 : 0);
        double top = MaxOf(w.Temp);
        for (int j = 0; j < n; j++) beta[j] = Math.Exp(w.Temp[j] - top);
        for (int i = len - 2; i >= 0; i--)
        {
            var v = w.Forward.AsSpan((i + 1) * n, n);
            if (plan.Separable)
            {
                // M_i = diag(L_i) S diag(R_i): R_i(k) = exp(h_{i+1}(k) − ½ℓ_k + K s_i y_k), L_i(j) = exp(h_i(j) − ½ℓ_j + K s_{i+1} y_j).
                RightFactor(plan, w, i, w.Temp);
                TensorPrimitives.Multiply(w.Temp, beta, v);
                if (i < stop) break; // a ring's site 1 is drawn already: only v_2 is needed
                DenseMatrix.Multiply(plan.Kernel.Matrix, n, v, beta);
                LeftFactor(plan, w, i, w.Temp);
                TensorPrimitives.Multiply(beta, w.Temp, beta);
            }
            else
            {
                beta.CopyTo(v);
                if (i < stop) break;
                BuildBond(plan, w, i);
                DenseMatrix.Multiply(w.Bond, n, v, beta);
            }
            double max = TensorPrimitives.Max(beta);
            if (!(max > 0)) throw new InvalidOperationException("backward message vanished on the grid.");
            TensorPrimitives.Divide(beta, max, beta);
        }
    }

    /// <summary>Weights of site i + 1's nodes given site i at node j: M_i(j, ·) ∘ β_{i+1}.</summary>
    private static void ForwardWeights(GridSamplingPlan plan, Workspace w, int i, int j, double[] weights)
    {
        int n = plan.Size;
        var v = w.Forward.AsSpan((i + 1) * n, n);
        if (plan.Separable)
        {
            TensorPrimitives.Multiply(plan.Kernel.Matrix.AsSpan(j * n, n), v, weights);
            return;
        }
        // The general bond row: exp(h_i(j) + K x_i(j) x_{i+1}(k) + h_{i+1}(k)), scaled by its largest entry.
        double xi = Value(plan, i, j, w);
        var next = w.Half.AsSpan((i + 1) * n, n);
        for (int k = 0; k < n; k++) weights[k] = plan.Coupling * xi * Value(plan, i + 1, k, w) + next[k];
        double max = TensorPrimitives.Max(weights);
        TensorPrimitives.Subtract(weights, max, weights);
        TensorPrimitives.Exp(weights, weights);
        TensorPrimitives.Multiply(weights, v, weights);
    }

    /// <summary>M_i(j, k) = exp(h_i(j) + K x_i(j) x_{i+1}(k) + h_{i+1}(k) − max) for the logarithmic grid.</summary>
    private static void BuildBond(GridSamplingPlan plan, Workspace w, int i)
    {
        int n = plan.Size;
        var xi = w.Temp;
        for (int j = 0; j < n; j++) xi[j] = Value(plan, i, j, w);
        var next = new double[n];
        for (int k = 0; k < n; k++) next[k] = Value(plan, i + 1, k, w);
        var hi = w.Half.AsSpan(i * n, n);
        var hn = w.Half.AsSpan((i + 1) * n, n);
        double max = double.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            var row = w.Bond.AsSpan(j * n, n);
            TensorPrimitives.MultiplyAdd(next, plan.Coupling * xi[j], hn, row);
            TensorPrimitives.Add(row, hi[j], row);
            max = Math.Max(max, TensorPrimitives.Max(row));
        }
        TensorPrimitives.Subtract(w.Bond, max, w.Bond);
        TensorPrimitives.Exp(w.Bond, w.Bond);
    }

    /// <summary>R_i(k) = exp(h_{i+1}(k) − ½ℓ_k + K s_i y_k).</summary>
    private static void RightFactor(GridSamplingPlan plan, Workspace w, int i, double[] factor) =>
        Factor(plan, w.Half.AsSpan((i + 1) * plan.Size, plan.Size), w.Offset[i], factor);

    /// <summary>L_i(j) = exp(h_i(j) − ½ℓ_j + K s_{i+1} y_j).</summary>
    private static void LeftFactor(GridSamplingPlan plan, Workspace w, int i, double[] factor) =>
        Factor(plan, w.Half.AsSpan(i * plan.Size, plan.Size), w.Offset[i + 1], factor);

    private static void Factor(GridSamplingPlan plan, ReadOnlySpan<double> half, double offset, double[] factor)
    {
        TensorPrimitives.Subtract(half, plan.Kernel.LogU, factor);
        TensorPrimitives.MultiplyAdd(plan.Grid.Nodes, plan.Coupling * offset, factor, factor);
        TensorPrimitives.Exp(factor, factor);
    }

    /// <summary>
    /// x_1 of a ring from its exact marginal at site 1's shifted nodes:
    /// π(j) ∝ e^{2h_1(j)} r_jᵀ P r_j, r_j(m) = exp(K x_1(j) y_m + ½ℓ_m), P = (S/λ)^{N−2} on the base grid.
    /// </summary>
    private static int DrawFirstOfRing(GridSamplingPlan plan, Workspace w, RandomStream rng)
    {
        int n = plan.Size;
        var r = w.Bond;
        var half = w.Half.AsSpan(0, n);
        var logScale = new double[n];
        for (int j = 0; j < n; j++)
        {
            var rj = r.AsSpan(j * n, n);
            double xj = Value(plan, 0, j, w);
            TensorPrimitives.MultiplyAdd(plan.Grid.Nodes, plan.Coupling * xj, plan.Kernel.LogU, rj);
            double c = TensorPrimitives.Max(rj);
            TensorPrimitives.Subtract(rj, c, rj);
            TensorPrimitives.Exp(rj, rj);
            logScale[j] = 2 * (half[j] + c);
        }
        var weights = w.Temp;
        var pr = new double[n];
        for (int j = 0; j < n; j++)
        {
            var rj = r.AsSpan(j * n, n);
            if (plan.RingPower is null) weights[j] = TensorPrimitives.Dot(rj, rj);
            else
            {
                DenseMatrix.Multiply(plan.RingPower, n, rj, pr);
                weights[j] = TensorPrimitives.Dot(rj, pr);
            }
        }
        double max = TensorPrimitives.Max(logScale);
        for (int j = 0; j < n; j++) weights[j] = Math.Max(weights[j], 0) * Math.Exp(logScale[j] - max);
        return Draw(weights, rng);
    }

    /// <summary>The value of node j at site i: the grid's coordinate plus the site's offset, mapped to x.</summary>
    private static double Value(GridSamplingPlan plan, int i, int j, Workspace w) =>
        plan.Offsets ? plan.Grid.ValueAt(plan.Grid.CoordinateOf(j) + w.Offset[i]) : plan.Grid.Nodes[j];

    /// <summary>An index drawn with probability proportional to the (non-negative) weights, by inverse CDF.</summary>
    private static int Draw(double[] weights, RandomStream rng)
    {
        double total = TensorPrimitives.Sum(weights);
        if (!(total > 0)) throw new InvalidOperationException("sampling weights vanished on the grid.");
        double u = rng.NextDouble() * total, acc = 0;
        int last = 0;
        for (int j = 0; j < weights.Length; j++)
        {
            if (weights[j] <= 0) continue;
            acc += weights[j];
            last = j;
            if (u < acc) return j;
        }
        return last;
    }

    private static double MaxOf(ReadOnlySpan<double> v) => TensorPrimitives.Max(v);
}
