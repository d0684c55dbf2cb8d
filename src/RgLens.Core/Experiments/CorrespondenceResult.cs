using RgLens.Claims;
using RgLens.Results;

namespace RgLens.Experiments;

/// <summary>
/// The immutable outcome of a correspondence experiment: the configuration, the RG side, every
/// network in every condition with its readings, the claims with their verdicts, and the timings.
/// Reporting reads only this.
/// </summary>
/// <param name="Config">The configuration that produced it.</param>
/// <param name="Rg">The RG side.</param>
/// <param name="Runs">Every network, in a fixed order (condition, objective, compression, seed).</param>
/// <param name="Claims">One outcome per claim, objective and reading; primary ones first.</param>
/// <param name="Context">The indexed measurements the claims were judged on.</param>
/// <param name="Timings">Seconds per stage.</param>
/// <param name="KernelPath">The network kernels' instruction path.</param>
public sealed record CorrespondenceResult(
    CorrespondenceConfig Config,
    RgSide Rg,
    IReadOnlyList<NetworkRun> Runs,
    IReadOnlyList<ClaimOutcome> Claims,
    ClaimContext Context,
    IReadOnlyDictionary<string, double> Timings,
    string KernelPath)
{
    /// <summary>The headline: the primary objective and reading's claims.</summary>
    public IReadOnlyList<ClaimOutcome> Headline => Claims.Where(c => c.Primary).ToArray();

    /// <summary>The condition ids of the run: trained first, then the controls.</summary>
    public IReadOnlyList<string> ConditionIds => [Conditions.Trained, .. Config.Controls];
}
