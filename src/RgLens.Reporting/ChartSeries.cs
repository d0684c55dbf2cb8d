namespace RgLens.Reporting;

/// <summary>
/// One line of a <see cref="LineChart"/>: points (x, y) in order, with optional symmetric error
/// bars (± error at each point). Points whose x or y is NaN or infinite are left out.
/// </summary>
/// <param name="Label">The legend text.</param>
/// <param name="X">The abscissae.</param>
/// <param name="Y">The ordinates (same count as <paramref name="X"/>).</param>
/// <param name="Errors">Half-widths of the error bars (same count), or null for none.</param>
/// <param name="Dashed">Draw the connecting line dashed (for reference curves such as the RG's).</param>
/// <param name="Color">Colour as "#RRGGBB" (null: the palette's next colour). Reports give one colour per condition.</param>
/// <param name="MarkersOnly">Draw markers without connecting lines.</param>
public sealed record ChartSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? Errors = null, bool Dashed = false,
    string? Color = null, bool MarkersOnly = false)
{
    /// <summary>Checks that the lists have the same length.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(Y);
        if (X.Count != Y.Count) throw new ArgumentException($"series '{Label}' has {X.Count} x values and {Y.Count} y values.");
        if (Errors is not null && Errors.Count != X.Count) throw new ArgumentException($"series '{Label}' has {X.Count} points and {Errors.Count} error bars.");
    }
}
