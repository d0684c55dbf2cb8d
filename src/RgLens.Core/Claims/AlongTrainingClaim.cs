using RgLens.Comparison;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Results;

namespace RgLens.Claims;

/// <summary>
/// Training moves the feature layer toward the fixed point. For each seed of the deepest pyramid,
/// the feature layer's distance to θ* at the checkpoints (step 0 included) is regressed on
/// log10(1 + step); the slopes are combined across seeds (they are the independent units, the
/// checkpoints of one network are not). The claim holds when the slope's interval lies below
/// −δ / D, D the decades of steps spanned, i.e. the distance falls by more than the margin over the
/// run; it fails when the interval lies above (a smaller fall, or a rise). Distance: √(K² + (h − h*)²)
/// for binary readings of an Ising input, |K| or |ρ| otherwise.
/// </summary>
public sealed class AlongTrainingClaim : IClaim
{
    /// <inheritdoc/>
    public string Id => "along_training";

    /// <inheritdoc/>
    public string Title => "distance to θ* falls in training";

    /// <inheritdoc/>
    public string? NotApplicable(ClaimContext context, IReading reading, string condition) =>
        Results.Conditions.Controls.FirstOrDefault(c => c.Id == condition) is { TrainingSource: null } ? "the network is not trained"
        : context.Runs.Where(r => r.Condition == condition).All(r => r.Training is null) ? "the network was given, not trained here: there is no training to follow"
        : null;

    /// <inheritdoc/>
    public string Statement(ClaimContext context, IReading reading) =>
        $"Along training the feature layer (b={context.DeepestCompression}) moves toward θ*: its distance to θ* falls by more than δ = {ClaimMath.F(context.Margin)}.";

    /// <inheritdoc/>
    public IReadOnlyList<ClaimTest> Tests(ClaimContext context, string condition, Objective objective, IReading reading)
    {
        var slopes = new double[context.Seeds];
        double decades = double.NaN;
        for (int s = 0; s < context.Seeds; s++)
        {
            var run = context.Run(condition, objective, context.DeepestCompression, s);
            var trace = run?.AlongTraining ?? [];
            if (trace.Count < 3) { slopes[s] = double.NaN; continue; }
            var x = trace.Select(c => Math.Log10(1 + c.Step)).ToArray();
            var y = trace.Select(c => Distance(context, reading, c)).ToArray();
            decades = x.Max() - x.Min();
            slopes[s] = Slope(x, y);
        }
        var combined = RandomEffects.Combine(slopes, new double[slopes.Length], context.ConfidenceLevel);
        double threshold = double.IsFinite(decades) && decades > 0 ? -context.Margin / decades : double.NaN;
        return [new ClaimTest($"slope of distance to θ* per decade of steps (b={context.DeepestCompression})", "slope", context.DeepestCompression, context.Depth,
            combined, threshold, TestKind.Below, context.Margin, combined.HoldsBlockedBecause)];
    }

    /// <summary>The feature layer's distance to θ* at one checkpoint.</summary>
    public static double Distance(ClaimContext context, IReading reading, TrainingCheckpoint checkpoint)
    {
        var m = checkpoint.Feature.Readings.FirstOrDefault(r => r.Reading == reading.Id);
        if (m is null) return double.NaN;
        double k = m.Coupling.Estimate;
        if (context.OnInputScale(reading) && m.Field is { } h)
            return Math.Sqrt(k * k + Math.Pow(h.Estimate - context.FixedPoint("h"), 2));
        return Math.Abs(k);
    }

    private static double Slope(double[] x, double[] y)
    {
        if (y.Any(v => !double.IsFinite(v))) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        return sxx > 0 ? sxy / sxx : double.NaN;
    }
}
