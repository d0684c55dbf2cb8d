namespace RgLens.Claims;

/// <summary>The registered claims, in report order.</summary>
public static class ClaimRegistry
{
    /// <summary>Every claim.</summary>
    public static IReadOnlyList<IClaim> All { get; } =
    [
        new FixedPointCouplingClaim(),
        new FixedPointMarginalClaim(),
        new FiniteScaleClaim(),
        new LayerFlowClaim(),
        new AlongTrainingClaim(),
    ];

    /// <summary>The claim with this id.</summary>
    /// <exception cref="ArgumentException">No such claim (the message lists the known ones).</exception>
    public static IClaim Get(string id) =>
        All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown claim '{id}'; known: {string.Join(", ", All.Select(c => c.Id))}.");
}
