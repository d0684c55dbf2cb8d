namespace RgLens.Comparison;

/// <summary>
/// Whether a sequence of couplings (layer by layer, theory.md §4 item 3) moves toward the stable
/// fixed point K* = 0 or away from it: a step is "toward" when |K| decreases by more than the
/// combined uncertainty of the two estimates, "away" when it increases by more, "flat" otherwise.
/// </summary>
public static class FlowDirection
{
    /// <summary>One word per step l−1 → l: toward, away or flat.</summary>
    public static IReadOnlyList<string> Steps(IReadOnlyList<Estimation.ParameterEstimate> couplings, double target = 0)
    {
        var result = new List<string>();
        for (int l = 1; l < couplings.Count; l++)
        {
            double before = Math.Abs(couplings[l - 1].Estimate - target), after = Math.Abs(couplings[l].Estimate - target);
            double se = Math.Sqrt(Square(couplings[l - 1].StandardError) + Square(couplings[l].StandardError));
            if (!double.IsFinite(se)) se = 0;
            result.Add(after < before - 2 * se ? "toward" : after > before + 2 * se ? "away" : "flat");
        }
        return result;
    }

    /// <summary>A summary: "toward θ* at every step", or which steps move away.</summary>
    public static string Summary(IReadOnlyList<string> steps)
    {
        if (steps.Count == 0) return "a single layer: no flow to judge";
        if (steps.All(s => s == "toward")) return "toward the stable fixed point at every layer";
        var away = steps.Select((s, i) => (s, i)).Where(p => p.s == "away").Select(p => $"{p.i}→{p.i + 1}").ToArray();
        if (away.Length > 0) return $"away from the stable fixed point at layer step(s) {string.Join(", ", away)}";
        return "toward or level (within 2 se) at every layer";
    }

    private static double Square(double x) => x * x;
}
