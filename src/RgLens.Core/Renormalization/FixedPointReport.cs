namespace RgLens.Renormalization;

/// <summary>
/// A fixed point of R_b with its linear stability (docs/theory.md, "Decimation and its fixed points"): the eigenvalues of the Jacobian
/// of R_b there, in the named coordinates. |λ| &lt; 1 is an irrelevant (attracting) direction,
/// |λ| = 1 marginal, |λ| &gt; 1 relevant; the point is stable when no direction is relevant.
/// </summary>
/// <param name="Names">Parameter names, as in the family.</param>
/// <param name="Values">The fixed point's parameter values (may hold ±∞, e.g. Ising K = ∞).</param>
/// <param name="Eigenvalues">Eigenvalues of the Jacobian, largest modulus first (real parts when a pair is complex).</param>
/// <param name="Eigenvectors">The matching right eigenvectors in <paramref name="Coordinates"/>, unit length, largest component positive.</param>
/// <param name="Coordinates">The coordinates the Jacobian is taken in (e.g. <c>K</c>, <c>h</c>, or <c>1 - tanh K</c>).</param>
/// <param name="Stable">No eigenvalue of modulus above 1.</param>
/// <param name="Classification">A plain description, e.g. <c>stable: superstable in K, marginal along h</c>.</param>
public sealed record FixedPointReport(
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Values,
    IReadOnlyList<double> Eigenvalues,
    IReadOnlyList<IReadOnlyList<double>> Eigenvectors,
    IReadOnlyList<string> Coordinates,
    bool Stable,
    string Classification)
{
    /// <summary>Tolerance on |λ| − 1 for calling a direction marginal (the Jacobian is taken by finite differences).</summary>
    public const double MarginalTolerance = 1e-6;

    /// <summary>
    /// Builds the report from the Jacobian's eigenmodes, classifying each against
    /// <see cref="MarginalTolerance"/> and naming its direction: a coordinate when the eigenvector
    /// lies along it, otherwise the eigenvector's components.
    /// </summary>
    public static FixedPointReport Classify(IReadOnlyList<string> names, IReadOnlyList<double> values,
        IReadOnlyList<(double Eigenvalue, double[] Eigenvector)> modes, IReadOnlyList<string> coordinates)
    {
        var sorted = modes.OrderByDescending(m => Math.Abs(m.Eigenvalue)).ToArray();
        bool stable = sorted.All(m => Math.Abs(m.Eigenvalue) <= 1 + MarginalTolerance);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var words = sorted.Select(m =>
        {
            double l = Math.Abs(m.Eigenvalue);
            string kind = l < MarginalTolerance ? "superstable" : l < 1 - MarginalTolerance ? "irrelevant"
                : l <= 1 + MarginalTolerance ? "marginal" : "relevant";
            int axis = Array.FindIndex(m.Eigenvector, c => Math.Abs(c) > 1 - 1e-9);
            string direction = axis >= 0 ? coordinates[axis]
                : $"({string.Join(", ", coordinates)}) ∝ ({string.Join(", ", m.Eigenvector.Select(c => c.ToString("G3", inv)))})";
            return $"{kind} along {direction} (eigenvalue {m.Eigenvalue.ToString("G4", inv)})";
        });
        string classification = (stable ? "stable: " : "unstable: ") + string.Join("; ", words);
        return new FixedPointReport(names, values, sorted.Select(m => m.Eigenvalue).ToArray(),
            sorted.Select(m => (IReadOnlyList<double>)m.Eigenvector).ToArray(), coordinates, stable, classification);
    }
}
