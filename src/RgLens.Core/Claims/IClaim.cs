using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Claims;

/// <summary>
/// One claim of the theorem with its pre-declared tests (docs/theory-choices.md, "Claims"). A new
/// claim is one class implementing this and one line in <see cref="ClaimRegistry"/>.
/// </summary>
public interface IClaim
{
    /// <summary>Short id used on the command line and in files.</summary>
    string Id { get; }

    /// <summary>A few words for table rows.</summary>
    string Title { get; }

    /// <summary>Why the claim cannot be tested in this reading and condition, or null when it can.</summary>
    string? NotApplicable(ClaimContext context, IReading reading, string condition);

    /// <summary>The claim as one sentence, with its target.</summary>
    string Statement(ClaimContext context, IReading reading);

    /// <summary>The claim's comparisons for one condition (the same list, in the same order, for every condition).</summary>
    IReadOnlyList<ClaimTest> Tests(ClaimContext context, string condition, Objective objective, IReading reading);
}
