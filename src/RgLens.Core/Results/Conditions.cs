namespace RgLens.Results;

/// <summary>One condition a network is read in: trained as asked, or a control.</summary>
/// <param name="Id">"trained", "untrained" or "null_data".</param>
/// <param name="Description">One sentence.</param>
/// <param name="TrainingSource">The data source it is trained on ("model", "null"), or null for no training.</param>
public sealed record Condition(string Id, string Description, string? TrainingSource);

/// <summary>The conditions of a run: the trained networks and the registered controls.</summary>
public static class Conditions
{
    /// <summary>The id of the networks under test.</summary>
    public const string Trained = "trained";

    /// <summary>The controls, in report order. A new control is one line here.</summary>
    public static IReadOnlyList<Condition> Controls { get; } =
    [
        new("untrained", "the same architecture and seed at initialization (no training)", null),
        new("null_data", "the same architecture and seed trained on null data: independent sites from the fixed point (no correlations)", "null"),
    ];

    /// <summary>The control with this id.</summary>
    /// <exception cref="ArgumentException">No such control (the message lists the known ones).</exception>
    public static Condition Control(string id) =>
        Controls.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown control '{id}'; known: {string.Join(", ", Controls.Select(c => c.Id))}.");
}
