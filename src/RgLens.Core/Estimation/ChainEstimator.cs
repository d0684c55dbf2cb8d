using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Fits the characteristic parameters of any chain family to data (theory.md §3), dispatching
/// to the family's estimators after checking that every value lies in the family's support.
/// </summary>
public static class ChainEstimator
{
    /// <summary>Fits <paramref name="family"/> to <paramref name="data"/> (samples × sites).</summary>
    /// <exception cref="DataFormatException">No samples, fewer than 2 sites, a value outside the support, or NaN.</exception>
    public static ChainFit Fit(ChainFamily family, SampleMatrix<double> data, Boundary boundary, EstimationMethod method, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (data.Rows < 1) throw new DataFormatException("the data hold no samples.");
        if (data.Columns < 2) throw new DataFormatException($"the data have {data.Columns} site(s) per sample; a chain needs N >= 2.");
        for (long i = 0; i < data.Data.LongLength; i++)
            if (!family.InSupport(data.Data[i]))
                throw new DataFormatException($"value {data.Data[i]} at row {i / data.Columns + 1}, column {i % data.Columns + 1} lies outside the support of the {family.Name} family ({SupportText(family.Support)}).");
        return family switch
        {
            IsingFamily => IsingEstimator.Fit(data.Convert<sbyte>(), boundary, method, options),
            _ => throw new RgLensException($"fitting the {family.Name} family is not available yet."),
        };
    }

    /// <summary>A short description of a support for error messages.</summary>
    public static string SupportText(SupportKind support) => support switch
    {
        SupportKind.Spins => "-1 or +1",
        SupportKind.Binary => "0 or 1",
        SupportKind.Real => "finite reals",
        SupportKind.Counts => "non-negative integers",
        _ => "positive reals",
    };
}
