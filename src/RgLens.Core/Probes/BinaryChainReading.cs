using RgLens.Data;
using RgLens.Estimation;

namespace RgLens.Probes;

/// <summary>The part every binary reading shares: fit the gauge-fixed spins with Ising chains.</summary>
internal static class BinaryChainReading
{
    /// <summary>Widest layer whose all-pairs pseudo-likelihood couplings are fitted.</summary>
    public const int MaxAllPairsUnits = 128;

    /// <summary>Normal quantile of the within-network intervals (95 %).</summary>
    private const double Z = 1.959963984540054;

    /// <param name="id">The reading's id.</param>
    /// <param name="y">The spins, one column per chain site.</param>
    /// <param name="input">What the reading was given.</param>
    /// <param name="orderFree">Whether to fit the all-pairs couplings.</param>
    /// <param name="signSpinUnits">
    /// For the sign-fixed spins y = ±sign(a) (the "sign" and "index" readings): the network unit of
    /// each column. Their multi-information is then computed in unit order, the same bits whatever
    /// the column order, and shared through <see cref="ReadingInput.Memo"/>.
    /// </param>
    public static ReadingMeasurement Measure(string id, SampleMatrix<sbyte> y, ReadingInput input, bool orderFree, IReadOnlyList<int>? signSpinUnits = null)
    {
        if (y.Columns < 2) throw new ArgumentException($"a layer needs at least 2 units to be read as a chain; got {y.Columns}.");
        var fit = IsingFieldChain.Read(y, input.Boundary, input.Replicates, Numerics.RandomStream.Derive(input.Seed, "ising-fields"), input.Cancellation);
        var warnings = new List<string>();
        int saturated = fit.Magnetizations.Count(m => Math.Abs(m) == 1);
        if (saturated > 0) warnings.Add($"{saturated} of {y.Columns} unit(s) never change sign on the probe samples (their fields are capped by the ridge).");
        // The all-pairs fit costs O(n·M³); beyond MaxAllPairsUnits it would take hours, so it is skipped, and said.
        double? maxJ = orderFree && y.Columns <= MaxAllPairsUnits ? PairwisePseudoLikelihood.Fit(y, PairwisePseudoLikelihood.DefaultRegularization, () => input.ThreadsNow, input.Cancellation).MaxAbsCoupling : null;
        if (orderFree && y.Columns > MaxAllPairsUnits)
            warnings.Add($"the all-pairs couplings are not fitted for layers of more than {MaxAllPairsUnits} units (their cost grows as units³); the multi-information stands in as the order-free measure.");
        double multiInformation = signSpinUnits is null
            ? MultiInformation.GaussianOfSpins(y, input.Threads, input.Cancellation)
            : input.Memo is { } memo
                ? memo.GetOrCompute(LayerMemo.SignSpinsMultiInformation, () => MultiInformation.GaussianOfSpins(y, input.Threads, input.Cancellation, signSpinUnits))
                : MultiInformation.GaussianOfSpins(y, input.Threads, input.Cancellation, signSpinUnits);
        if (MultiInformation.SingularWarning(multiInformation) is { } singular) warnings.Add(singular);
        int units = y.Columns;
        ScratchArrays.Return(y); // the readings built y for this measurement alone
        return new ReadingMeasurement(id, units,
            Estimate("K", fit.PerUnit.Coupling, fit.PerUnitCouplingSe),
            Estimate("h", fit.Homogeneous.Fields[0], fit.HomogeneousFieldSe),
            Estimate("K", fit.Homogeneous.Coupling, fit.HomogeneousCouplingSe),
            fit.LikelihoodRatio, fit.DegreesOfFreedom, fit.HomogeneityP,
            fit.Magnetizations, fit.PerUnit.Fields,
            multiInformation, maxJ, warnings);
    }

    internal static ParameterEstimate Estimate(string name, double value, double se) =>
        double.IsFinite(se) ? new ParameterEstimate(name, value, value - Z * se, value + Z * se, se)
                            : new ParameterEstimate(name, value, double.NaN, double.NaN, double.NaN);
}
