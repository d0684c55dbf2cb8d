namespace RgLens.Comparison;

/// <summary>
/// Holm's step-down adjustment: controls the family-wise error rate over a set of p-values under
/// any dependence between the tests. NaN p-values (comparisons that could not be made) are left
/// NaN and do not count toward the family's size.
/// </summary>
public static class Holm
{
    /// <summary>The adjusted p-values, in the input's order.</summary>
    public static double[] Adjust(IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var adjusted = Enumerable.Repeat(double.NaN, p.Count).ToArray();
        var order = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        int m = order.Length;
        double running = 0;
        for (int k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * p[order[k]]));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }
}
