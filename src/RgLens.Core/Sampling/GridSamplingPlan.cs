using System.Numerics.Tensors;
using RgLens.Exact;
using RgLens.Models;
using RgLens.Numerics;

namespace RgLens.Sampling;

/// <summary>
/// What forward filtering–backward sampling on a grid needs, computed once per model
/// (docs/families.md, "Sampling on a grid"): the grid (chosen by <see cref="GridSelector.ForChain"/>
/// for the chain's own N and boundary), the half log site weights ½ℓ_j = ½ ln(w_j ν(x_j) e^{η·T(x_j)})
/// at the base nodes, the symmetric scaled kernel S_jk = exp(½ℓ_j + K x_j x_k + ½ℓ_k − σ), and for a
/// ring the normalized power P = (S/λ)^{N−2} that carries the ring's return to site 1.
/// </summary>
internal sealed class GridSamplingPlan
{
    private GridSamplingPlan(ChainModel model, QuadratureGrid grid, GridReport report, GridKernel kernel, double[]? ringPower)
    {
        Model = model;
        Grid = grid;
        Report = report;
        Kernel = kernel;
        RingPower = ringPower;
        Eta = model.Parameters.NaturalParameters();
    }

    public ChainModel Model { get; }

    public QuadratureGrid Grid { get; }

    public GridReport Report { get; }

    /// <summary>The base-grid kernel: S (scaled), ½ℓ (LogU), nodes.</summary>
    public GridKernel Kernel { get; }

    /// <summary>P = (S/λ)^{N−2} for a ring (null for an open chain; the identity is not stored for N = 2).</summary>
    public double[]? RingPower { get; }

    public double[] Eta { get; }

    public int Size => Grid.Count;

    public int Length => Model.Length;

    public bool Periodic => Model.Boundary == Boundary.Periodic;

    public double Coupling => Model.Parameters.NeighbourCoupling;

    /// <summary>Whether each site gets its own random offset of the grid (continuous supports).</summary>
    public bool Offsets => Grid.IsContinuous;

    /// <summary>Whether the bond kernel between offset grids factorizes as diag · S · diag (uniform in x, or no offsets).</summary>
    public bool Separable => Grid.Coordinate != GridCoordinate.Logarithmic;

    public static GridSamplingPlan Build(ChainModel model, GridOptions options)
    {
        var (selection, _) = GridSelector.ForChain(model.Parameters, options, model.Length, model.Boundary);
        var grid = selection.Grid;
        var kernel = new GridKernel(model.Parameters, grid);
        double[]? power = null;
        if (model.Boundary == Boundary.Periodic && model.Length > 2)
        {
            var (logLambda, _) = kernel.Leading();
            double scale = Math.Exp(kernel.Shift - logLambda);
            var normalized = kernel.Matrix.Select(v => v * scale).ToArray();
            power = DenseMatrix.SymmetricPower(normalized, grid.Count, model.Length - 2);
        }
        return new GridSamplingPlan(model, grid, selection.Report, kernel, power);
    }

    /// <summary>
    /// ½ ln g at the nodes shifted by <paramref name="offset"/>: ½(ln w + ln ν(x) + η·T(x)) with
    /// x = t_j + offset (or e^{t_j + offset}); <paramref name="values"/> receives the x.
    /// </summary>
    public void HalfLogWeights(double offset, double[] values, Span<double> half)
    {
        // The coordinates t_j + offset; x = t (linear) or e^t (logarithmic, weight Δ e^t).
        TensorPrimitives.Add(Coordinates, offset, half);
        if (Grid.Coordinate == GridCoordinate.Logarithmic)
        {
            TensorPrimitives.Exp(half, values);
            TensorPrimitives.Add(half, Math.Log(Grid.Spacing), half);
        }
        else
        {
            half.CopyTo(values);
            half.Fill(Math.Log(Grid.Spacing));
        }
        Model.Family.AddLogWeights(values, Eta, half);
        TensorPrimitives.Multiply(half, 0.5, half);
    }

    /// <summary>t_j, the nodes' uniform coordinates.</summary>
    public double[] Coordinates => _coordinates ??= Enumerable.Range(0, Size).Select(Grid.CoordinateOf).ToArray();

    private double[]? _coordinates;
}
