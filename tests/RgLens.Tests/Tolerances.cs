namespace RgLens.Tests;

/// <summary>Named tolerances, each with where it comes from.</summary>
internal static class Tolerances
{
    /// <summary>
    /// Agreement of exact double-precision paths (closed forms, transfer-matrix power, enumeration):
    /// quantities of order 1–100 carry ~1e-15 relative rounding, accumulated over ≲ 10³ operations.
    /// </summary>
    public const double Exact = 1e-12;

    /// <summary>Statistical checks: 4 standard errors (two-sided p ≈ 6e-5 per check).</summary>
    public const double StandardErrors = 4.0;
}
