using System.Globalization;
using System.Text.Json.Nodes;
using RgLens.Estimation;
using RgLens.Exact;
using RgLens.Models;
using RgLens.IO;
using RgLens.Renormalization;

namespace RgLens.Cli.Infrastructure;

/// <summary>JSON views of library results: the field names that rglens promises to scripts.</summary>
public static class Views
{
    /// <summary>{"K": …, "h": …} in the family's parameter order.</summary>
    public static JsonObject Parameters(ChainParameters p)
    {
        var o = new JsonObject();
        double[] v = p.Values();
        for (int i = 0; i < v.Length; i++) o[p.Family.Parameters[i].Name] = JsonOutput.Number(v[i]);
        return o;
    }

    /// <summary>The name of ⟨x⟩ for a family: "magnetization" for spins, "mean" otherwise.</summary>
    public static string MeanName(ChainFamily f) => f.Support == SupportKind.Spins ? "magnetization" : "mean";

    /// <summary>Exact observables of a finite or infinite chain.</summary>
    public static JsonObject Observables(ChainObservables o, ChainFamily family)
    {
        var j = new JsonObject();
        if (o.LogPartition is double z) j["ln_z"] = JsonOutput.Number(z);
        j["ln_z_per_site"] = JsonOutput.Number(o.LogPartitionPerSite);
        j["free_energy_per_site"] = JsonOutput.Number(o.FreeEnergyPerSite);
        j[MeanName(family)] = JsonOutput.Number(o.Mean);
        j["second_moment"] = JsonOutput.Number(o.SecondMoment);
        j["nearest_neighbour_correlation"] = JsonOutput.Number(o.NearestNeighbour);
        j["correlation_length"] = JsonOutput.Number(o.CorrelationLength);
        return j;
    }

    /// <summary>A fixed point and its stability.</summary>
    public static JsonObject FixedPoint(FixedPointReport f)
    {
        var j = new JsonObject();
        for (int i = 0; i < f.Names.Count; i++) j[f.Names[i]] = JsonOutput.Number(f.Values[i]);
        j["stable"] = f.Stable;
        j["eigenvalues"] = JsonOutput.Numbers(f.Eigenvalues);
        j["eigenvectors"] = new JsonArray(f.Eigenvectors.Select(v => (JsonNode?)JsonOutput.Numbers(v)).ToArray());
        j["coordinates"] = new JsonArray(f.Coordinates.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        j["classification"] = f.Classification;
        return j;
    }

    /// <summary>A fit: {"K": {"estimate", "ci": [lo, hi], "se"}, …, "method", "n_samples", …}.</summary>
    public static JsonObject Fit(ChainFit fit)
    {
        var j = new JsonObject();
        foreach (var e in fit.Estimates)
            j[e.Name] = new JsonObject
            {
                ["estimate"] = JsonOutput.Number(e.Estimate),
                ["ci"] = JsonOutput.Numbers([e.Lower, e.Upper]),
                ["se"] = JsonOutput.Number(e.StandardError),
            };
        j["method"] = fit.Method == EstimationMethod.MaximumLikelihood ? "mle" : "pseudo";
        j["n_samples"] = fit.Samples;
        j["n_sites"] = fit.Sites;
        j["boundary"] = fit.Boundary.ToString().ToLowerInvariant();
        j["confidence_level"] = fit.ConfidenceLevel;
        j["bootstrap_replicates"] = fit.Replicates;
        j["warnings"] = new JsonArray(fit.Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());
        return j;
    }

    /// <summary>A short number for a summary table: G3, with ∞ spelled out.</summary>
    public static string Short(double v) => double.IsPositiveInfinity(v) ? "∞" : double.IsNegativeInfinity(v) ? "-∞" : v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>{"points", "lower", "upper", "coordinate", "accuracy", "target_accuracy"}: the grid a result was computed on.</summary>
    public static JsonObject Grid(GridReport g) => new()
    {
        ["points"] = g.Points,
        ["lower"] = JsonOutput.Number(g.Lower),
        ["upper"] = JsonOutput.Number(g.Upper),
        ["coordinate"] = g.Coordinate,
        ["accuracy"] = JsonOutput.Number(g.Accuracy),
        ["target_accuracy"] = JsonOutput.Number(g.TargetAccuracy),
    };

    /// <summary>One line describing a grid for the text views.</summary>
    public static string GridLine(GridReport g) =>
        $"grid: {g.Points} points on [{Cell(g.Lower)}, {Cell(g.Upper)}] (uniform in {g.Coordinate}), accuracy {Cell(g.Accuracy)} (target {Cell(g.TargetAccuracy)})";

    /// <summary>A number for a table cell: G6, with ∞ spelled out.</summary>
    public static string Cell(double v) => double.IsPositiveInfinity(v) ? "∞" : double.IsNegativeInfinity(v) ? "-∞" : v.ToString("G6", CultureInfo.InvariantCulture);
}
