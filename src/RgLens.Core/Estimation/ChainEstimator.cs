using RgLens.Data;
using RgLens.Models;

namespace RgLens.Estimation;

/// <summary>
/// Fits the characteristic parameters of any chain family to data (docs/theory.md, "Estimators"), dispatching
/// to the family's estimators after checking that every value lies in the family's support.
/// </summary>
public static class ChainEstimator
{
    /// <summary>Fits <paramref name="family"/> to <paramref name="data"/> (samples × sites).</summary>
    /// <exception cref="DataFormatException">No samples, fewer than 2 sites, a value outside the support, or NaN.</exception>
    public static ChainFit Fit(ChainFamily family, SampleMatrix<double> data, Boundary boundary, EstimationMethod method, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (options?.FixedField is not null && !family.Parameters.Any(p => p.Name == "h"))
            throw new ArgumentException($"a fixed field applies only to families with a field h; the {family.Name} family has {string.Join(", ", family.Parameters.Select(p => p.Name))}.", nameof(options));
        RequireChainData(family, data);
        return family switch
        {
            IsingFamily => IsingEstimator.Fit(Spins(data), boundary, method, options),
            GaussianFamily => GaussianChainEstimator.Fit(data, boundary, method, options),
            _ => FamilyChainEstimator.Fit(family, data, boundary, method, options),
        };
    }

    /// <summary>Throws unless the data hold at least one sample of at least 2 sites, every value in the family's support.</summary>
    /// <exception cref="DataFormatException">No samples, fewer than 2 sites, or a value outside the support (NaN included).</exception>
    public static void RequireChainData(ChainFamily family, SampleMatrix<double> data)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows < 1) throw new DataFormatException("the data hold no samples.");
        if (data.Columns < 2) throw new DataFormatException($"the data have {data.Columns} site(s) per sample; a chain needs N >= 2.");
        var cancellation = RunCancellation.Token; // a pass over every value: about 0.5 s per 10⁸ values here
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = data.Row(r);
            for (int c = 0; c < row.Length; c++)
                if (!family.InSupport(row[c]))
                    throw new DataFormatException($"value {row[c]} at row {r + 1}, column {c + 1} lies outside the support of the {family.Name} family ({SupportText(family.Support)}){Suggestion(family, data)}.");
        }
    }

    /// <summary>The ±1 values as spins (<see cref="SampleMatrix{T}.Convert{TOut}"/>), looking at the run's cancellation once per sample.</summary>
    private static SampleMatrix<sbyte> Spins(SampleMatrix<double> data)
    {
        var spins = new SampleMatrix<sbyte>(data.Rows, data.Columns);
        var cancellation = RunCancellation.Token;
        for (int r = 0; r < data.Rows; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var from = data.Row(r);
            var to = spins.Row(r);
            for (int c = 0; c < from.Length; c++) to[c] = sbyte.CreateTruncating(from[c]);
        }
        return spins;
    }

    /// <summary>
    /// A hint when the data fit the other binary family: 0/1 occupations given to Ising belong to
    /// the Bernoulli chain (or map x to 2x − 1), ±1 spins given to Bernoulli to the Ising chain.
    /// </summary>
    private static string Suggestion(ChainFamily family, SampleMatrix<double> data)
    {
        if (family.Support == SupportKind.Spins && data.Data.All(v => v is 0 or 1))
            return "; the data hold only 0 and 1: fit them as occupations with the bernoulli family (--model bernoulli), or map x to 2x - 1 to fit them as spins";
        if (family.Support == SupportKind.Binary && data.Data.All(v => v is -1 or 1))
            return "; the data hold only -1 and +1: fit them as spins with the ising family (--model ising)";
        return "";
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
