using RgLens.Data;
using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Tests.Sampling;

/// <summary>
/// Checks of samples against the exact solution: every check compares the mean over independent
/// rows of a row statistic with its exact expectation, within <see cref="Tolerances.StandardErrors"/>
/// standard errors estimated from the sample.
/// </summary>
internal static class SampleMoments
{
    public delegate double RowStatistic<T>(ReadOnlySpan<T> row);

    /// <summary>Rows are independent, so the standard error of a row statistic's mean is sd/√rows.</summary>
    public static void CheckMean<T>(SampleMatrix<T> s, RowStatistic<T> statistic, double exact, string what)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        double sum = 0, sumSq = 0;
        for (int r = 0; r < s.Rows; r++)
        {
            double v = statistic(s.Row(r));
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / s.Rows;
        double se = Math.Sqrt(Math.Max(sumSq / s.Rows - mean * mean, 0) / (s.Rows - 1));
        Assert.True(Math.Abs(mean - exact) <= Tolerances.StandardErrors * se + 1e-12,
            $"{what}: sample {mean:G6} vs exact {exact:G6}, se {se:G3}");
    }

    /// <summary>
    /// Site-averaged mean and second moment, bond-averaged neighbour correlation, ⟨x_i x_{i+r}⟩ for
    /// r = 1 … 4 from an interior site, and the last site's mean, against <see cref="ExactSolver"/>.
    /// </summary>
    public static void CheckAgainstExact(ChainModel model, SampleMatrix<double> s, GridOptions? grid = null)
    {
        var exact = ExactSolver.Solve(model, grid).Finite;
        int n = model.Length, bonds = model.BondCount;
        CheckMean<double>(s, row => Average(row, x => x), exact.Mean, "mean");
        CheckMean<double>(s, row => Average(row, x => x * x), exact.SecondMoment, "second moment");
        CheckMean<double>(s, row =>
        {
            double e = 0;
            for (int i = 0; i < bonds; i++) e += row[i] * row[(i + 1) % n];
            return e / bonds;
        }, exact.NearestNeighbour, "neighbour correlation");
        int site = model.Boundary == Boundary.Open ? 2 : 1;
        for (int r = 1; r <= 4 && site + r <= n; r++)
        {
            int j = site + r;
            CheckMean<double>(s, row => row[site - 1] * row[j - 1], ExactSolver.Correlation(model, site, j, grid), $"<x_{site} x_{j}>");
        }
        CheckMean<double>(s, row => row[n - 1], ExactSolver.SiteMean(model, n, grid), "last site");
    }

    private static double Average(ReadOnlySpan<double> row, Func<double, double> f)
    {
        double s = 0;
        foreach (double v in row) s += f(v);
        return s / row.Length;
    }
}
