namespace RgLens.Reporting.Correspondence;

/// <summary>
/// One colour per condition across every figure, from the Okabe–Ito palette (distinguishable with
/// the common colour-vision deficiencies): trained blue, untrained orange, null data green, RG
/// targets black (dashed).
/// </summary>
public static class Palette
{
    /// <summary>The RG's reference curves and targets.</summary>
    public const string Rg = "#000000";

    /// <summary>The colour of a condition.</summary>
    public static string Of(string condition) => condition switch
    {
        "trained" => "#0072B2",
        "untrained" => "#E69F00",
        "null_data" => "#009E73",
        _ => "#CC79A7",
    };

    /// <summary>How a condition is named in legends.</summary>
    public static string Label(string condition) => condition.Replace('_', ' ');
}
