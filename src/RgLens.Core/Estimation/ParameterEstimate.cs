namespace RgLens.Estimation;

/// <summary>
/// A point estimate of one characteristic parameter with its bootstrap confidence interval
/// (docs/theory.md, "Estimators"). Bounds are ±∞ where bootstrap replicates fell on the boundary of
/// the model (e.g. all spins aligned), where the maximum-likelihood estimate does not exist.
/// </summary>
/// <param name="Name">The parameter name (<c>K</c>, <c>h</c>, …).</param>
/// <param name="Estimate">The estimate from the full data.</param>
/// <param name="Lower">Lower end of the percentile bootstrap interval.</param>
/// <param name="Upper">Upper end of the percentile bootstrap interval.</param>
/// <param name="StandardError">Standard deviation of the finite bootstrap replicates.</param>
public sealed record ParameterEstimate(string Name, double Estimate, double Lower, double Upper, double StandardError)
{
    /// <summary>Whether <paramref name="value"/> lies within [Lower, Upper].</summary>
    public bool Covers(double value) => value >= Lower && value <= Upper;
}
