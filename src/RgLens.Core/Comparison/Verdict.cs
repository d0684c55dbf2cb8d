using System.Globalization;
using RgLens.Estimation;

namespace RgLens.Comparison;

/// <summary>
/// One comparison of the correspondence test (theory.md §4): a measured characteristic parameter,
/// with its confidence interval, against a target from the RG (θ*(θ0), R_b(θ0), R_2^l(θ0)), and
/// a plain verdict: within the interval or not, and by how much.
/// </summary>
/// <param name="Quantity">What is compared, e.g. <c>K_feature vs K*</c>.</param>
/// <param name="Target">The RG value.</param>
/// <param name="Measured">The network's estimate and interval.</param>
/// <param name="Within">Whether the target lies in the measured interval.</param>
/// <param name="Difference">Measured − target.</param>
/// <param name="StandardErrors">|Difference| in standard errors of the measurement (NaN when unknown).</param>
/// <param name="Text">The verdict in words.</param>
public sealed record Verdict(string Quantity, double Target, ParameterEstimate Measured, bool Within, double Difference, double StandardErrors, string Text)
{
    /// <summary>Compares <paramref name="measured"/> with <paramref name="target"/>.</summary>
    public static Verdict Of(string quantity, ParameterEstimate measured, double target, double confidenceLevel)
    {
        var inv = CultureInfo.InvariantCulture;
        bool within = measured.Covers(target);
        double diff = measured.Estimate - target;
        double z = measured.StandardError > 0 && double.IsFinite(measured.StandardError) ? Math.Abs(diff) / measured.StandardError : double.NaN;
        string level = (confidenceLevel * 100).ToString("G3", inv) + "%";
        string interval = $"[{measured.Lower.ToString("G3", inv)}, {measured.Upper.ToString("G3", inv)}]";
        string size = double.IsNaN(z) ? "" : $", {z.ToString("F1", inv)} se";
        string text = within
            ? $"consistent: {measured.Estimate.ToString("G4", inv)} {interval} contains the target {target.ToString("G4", inv)} (difference {diff.ToString("G3", inv)}{size})"
            : $"not consistent: {measured.Estimate.ToString("G4", inv)} {interval} misses the target {target.ToString("G4", inv)} by {diff.ToString("G3", inv)}{size}, outside the {level} interval";
        return new Verdict(quantity, target, measured, within, diff, z, text);
    }
}
