using System.CommandLine;
using RgLens.Exact;
using RgLens.Models;

namespace RgLens.Cli.Infrastructure;

/// <summary>
/// The options that name a chain model: <c>--model</c>, one option per parameter name of any
/// family in <see cref="ChainFamilies"/> (<c>--K</c>, <c>--h</c>, …), <c>--N</c>,
/// <c>--boundary</c>, and the grid options <c>--accuracy</c> and <c>--grid</c> of the families
/// solved on a quadrature grid or truncated support. A parameter that the chosen family does not
/// have is a usage error; one it has but was not given takes the family's default.
/// </summary>
public sealed class ModelOptions
{
    private readonly Dictionary<string, Option<double?>> _parameters = new();

    /// <summary>
    /// Creates the options; <paramref name="defaultLength"/> is N's default, and
    /// <paramref name="defaults"/> overrides a family's own parameter defaults (by family name) where
    /// the command uses others, so that the help shows what the command actually does.
    /// </summary>
    public ModelOptions(int defaultLength = 64, IReadOnlyDictionary<string, double[]>? defaults = null)
    {
        Model = new Option<string>("--model")
        {
            Description = $"Chain family: {string.Join(", ", ChainFamilies.All.Select(f => f.Name))}.",
            DefaultValueFactory = _ => "ising",
        };
        foreach (var family in ChainFamilies.All)
            foreach (var p in family.Parameters)
            {
                if (_parameters.ContainsKey(p.Name)) continue;
                string users = string.Join("; ", ChainFamilies.All
                    .SelectMany(f => f.Parameters.Select((q, i) => (q, i)).Where(t => t.q.Name == p.Name)
                        .Select(t => $"{f.Name}: {t.q.Description}, default {(defaults is not null && defaults.TryGetValue(f.Name, out var d) ? d[t.i] : t.q.Default).ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
                _parameters[p.Name] = new Option<double?>("--" + p.Name) { Description = users };
            }
        Length = new Option<int>("--N") { Description = "Number of sites N (>= 2).", DefaultValueFactory = _ => defaultLength };
        Boundary = new Option<string>("--boundary") { Description = "periodic (ring) or open.", DefaultValueFactory = _ => "periodic" };
        Boundary.AcceptOnlyFromAmong("periodic", "open");
        Accuracy = new Option<double>("--accuracy")
        {
            Description = $"Target accuracy of the grid (phi4, poisson, gamma; ignored where closed forms exist), in [{GridOptions.FinestAccuracy}, 0.01].",
            DefaultValueFactory = _ => GridOptions.DefaultAccuracy,
        };
        GridPoints = new Option<int?>("--grid") { Description = "Use exactly this many grid points (default: chosen automatically to --accuracy); an accuracy it cannot reach is an error." };
    }

    /// <summary><c>--accuracy</c>.</summary>
    public Option<double> Accuracy { get; }

    /// <summary><c>--grid</c>.</summary>
    public Option<int?> GridPoints { get; }

    /// <summary><c>--model</c>.</summary>
    public Option<string> Model { get; }

    /// <summary><c>--N</c>.</summary>
    public Option<int> Length { get; }

    /// <summary><c>--boundary</c>.</summary>
    public Option<string> Boundary { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command, bool withLength = true, bool withBoundary = true)
    {
        command.Options.Add(Model);
        foreach (var o in _parameters.Values) command.Options.Add(o);
        if (withLength) command.Options.Add(Length);
        if (withBoundary) command.Options.Add(Boundary);
        command.Options.Add(Accuracy);
        command.Options.Add(GridPoints);
    }

    /// <summary>The grid options from <c>--accuracy</c> and <c>--grid</c>, checked.</summary>
    public GridOptions Grid(ParseResult result)
    {
        double accuracy = result.GetValue(Accuracy);
        if (!(accuracy >= GridOptions.FinestAccuracy && accuracy <= 1e-2))
            throw new UsageException($"--accuracy must lie in [{GridOptions.FinestAccuracy}, 0.01]; got {accuracy}.");
        int? points = result.GetValue(GridPoints);
        if (points is int p && (p < 3 || p > 8193)) throw new UsageException($"--grid must lie in [3, 8193]; got {p}.");
        return new GridOptions { Accuracy = accuracy, Points = points, MaxPoints = Math.Max(2049, points ?? 0) };
    }

    /// <summary>The family named by <c>--model</c>.</summary>
    public ChainFamily Family(ParseResult result) => ChainFamilies.Find(result.GetValue(Model) ?? "ising");

    /// <summary>
    /// θ from the parameter options, checked against the family's domain; parameters not given take
    /// <paramref name="defaults"/> (in the family's order) when supplied, else the family's defaults.
    /// </summary>
    public ChainParameters Parameters(ParseResult result, IReadOnlyList<double>? defaults = null)
    {
        var family = Family(result);
        var names = family.Parameters.Select(p => p.Name).ToHashSet();
        foreach (var (name, option) in _parameters)
            if (!names.Contains(name) && result.GetValue(option) is not null)
                throw new UsageException($"--{name} does not apply to --model {family.Name}; its parameters are {string.Join(", ", names.Select(n => "--" + n))}.");
        var values = family.Parameters.Select((p, i) => result.GetValue(_parameters[p.Name]) ?? defaults?[i] ?? p.Default).ToArray();
        return family.Create(values);
    }

    /// <summary>The parameter options the user gave explicitly (e.g. <c>--K</c>).</summary>
    public IReadOnlyList<string> GivenParameters(ParseResult result) =>
        _parameters.Where(p => result.GetValue(p.Value) is not null).Select(p => "--" + p.Key).ToArray();

    /// <summary>The boundary condition from <c>--boundary</c>.</summary>
    public Models.Boundary BoundaryValue(ParseResult result) =>
        result.GetValue(Boundary) == "open" ? Models.Boundary.Open : Models.Boundary.Periodic;

    /// <summary>The full model (θ, N, boundary), validated.</summary>
    public ChainModel Bind(ParseResult result)
    {
        var theta = Parameters(result);
        int n = result.GetValue(Length);
        if (n < 2) throw new UsageException($"--N must be >= 2; got {n}.");
        return new ChainModel(theta, n, BoundaryValue(result)).Validated();
    }
}
