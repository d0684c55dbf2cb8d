using RgLens.Claims;
using RgLens.Comparison;
using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Numerics;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Results;
using RgLens.Sources;

namespace RgLens.Experiments;

/// <summary>One comparison of a probed layer with an RG target, and its control.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Units">The chain's length the layer was read as (a channel's sites for a convolutional layer).</param>
/// <param name="Reading">The reading.</param>
/// <param name="Claim">The claim of <c>correspond</c> the comparison mirrors (fixed_point_coupling, fixed_point_marginal, finite_scale).</param>
/// <param name="Trained">The comparison on the user's data (Holm-adjusted over every comparison of the probe).</param>
/// <param name="NullInput">The same comparison for the same network read on null input (unadjusted, as <c>correspond</c> judges its controls).</param>
/// <param name="Verdict">holds, fails, inconclusive, or indistinguishable_from_control when the null input holds too.</param>
public sealed record ProbeComparison(string Layer, int Units, string Reading, string Claim, TestOutcome Trained, TestOutcome NullInput, string Verdict);

/// <summary>
/// <c>probe --model FAMILY</c>: the RG side of a probe. θ0 of the family is fitted to the user's data
/// (<see cref="UserDataFit"/>, with its goodness-of-fit), its RG gives the targets (the stable fixed
/// point θ*, and R_b(θ0) for a layer of N/b units), and every layer's gauge-fixed reading is set
/// against them with the equivalence and difference tests of <c>correspond</c>'s claims
/// (<see cref="ClaimEvaluator"/>): margin δ, the target's uncertainty from θ0's added in quadrature,
/// Holm's adjustment over every comparison of the probe. The object of these tests is the given
/// network: its readings' within-network errors are the only variance (the variance between
/// initializations, which a claim about training needs, is unknown; <c>correspond</c> measures it).
/// The control needs no training: the same network read on null input, independent sites from θ*
/// with K = 0 (<see cref="NullModelSource"/>, as many samples as the data). A comparison that holds on
/// the data and on the null input too is indistinguishable from control: the network reads like
/// the fixed point whatever its input's correlations.
/// </summary>
/// <param name="Fit">θ0 fitted to the data, with its goodness-of-fit.</param>
/// <param name="Theta0">The fitted θ0.</param>
/// <param name="FixedPoint">The stable fixed point θ*(θ0) of the b = 2 flow.</param>
/// <param name="ByCompression">R_b(θ0) for the compressions of the layers read.</param>
/// <param name="Uncertainty">The targets' standard errors from θ0's.</param>
/// <param name="Margin">δ.</param>
/// <param name="ConfidenceLevel">1 − α.</param>
/// <param name="NullInput">What the null input is.</param>
/// <param name="Comparisons">Every comparison, layer by layer.</param>
public sealed record ProbeRgComparison(UserDataFit Fit, ChainParameters Theta0, ChainParameters FixedPoint, IReadOnlyDictionary<int, ChainParameters> ByCompression,
    RgUncertainty Uncertainty, double Margin, double ConfidenceLevel, string NullInput, IReadOnlyList<ProbeComparison> Comparisons)
{
    /// <summary>The fitted θ0 and its RG targets, before any layer is read.</summary>
    public sealed record Targets(UserDataFit Fit, ChainParameters Theta0, ChainParameters FixedPoint, ChainModel NullModel, string NullDescription);

    /// <summary>Fits θ0 of <paramref name="family"/> to <paramref name="data"/> and finds its fixed point and the null input's model.</summary>
    /// <exception cref="DataFormatException">Data the family cannot describe (one line).</exception>
    public static Targets Prepare(string path, SampleMatrix<double> data, ChainFamily family, Boundary boundary, int replicates, ulong seed)
    {
        var fit = UserDataFit.Of(path, data, family, boundary, replicates, seed);
        var theta0 = family.Create(fit.Fit.Estimates.Select(e => e.Estimate).ToArray());
        var star = family.Create(RgFlow.Run(theta0, 2, 1).FixedPoint.Values.ToArray());
        var source = new NullModelSource(new SourceContext(new ChainModel(theta0, data.Columns, boundary), star));
        return new Targets(fit, theta0, star, source.Model, source.Describe());
    }

    /// <summary>Samples of the null input: as many as the data, from the targets' null model.</summary>
    public static SampleMatrix<float> NullSamples(Targets targets, int rows, ulong seed, int threads, CancellationToken cancellation = default) =>
        Sampling.ChainSampler.Sample(targets.NullModel, rows, RandomStream.Derive(seed, "probe-null-input"), threads, cancellation).Convert<float>();

    /// <summary>Sets every reading of <paramref name="layers"/> against the targets; <paramref name="nullLayers"/> are the same layers read on the null input.</summary>
    public static ProbeRgComparison Compare(Targets targets, int inputWidth, IReadOnlyList<ProbedLayer> layers, IReadOnlyList<ProbedLayer> nullLayers,
        double margin, double confidenceLevel, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(nullLayers);
        if (nullLayers.Count != layers.Count) throw new ArgumentException("the null input must be read at the same layers.");
        if (!(margin > 0) || !double.IsFinite(margin)) throw new ArgumentException($"the margin must be a finite number > 0; got {margin}.");
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new ArgumentException($"the confidence level must lie in (0, 1); got {confidenceLevel}.");
        double alpha = 1 - confidenceLevel;
        var family = targets.Theta0.Family;
        bool isingInput = family.Name == IsingFamily.Instance.Name;
        var compressions = layers.Select(l => CompressionOf(inputWidth, Units(l))).OfType<int>().Distinct().Order().ToArray();
        var byCompression = compressions.ToDictionary(b => b, b => RgFlow.Decimate(targets.Theta0, b));
        var uncertainty = targets.Fit.TargetUncertainty(compressions, 1, seed);
        double hStar = ValueOf(targets.FixedPoint, "h");

        // Every test on the data and on the null input, in the same order.
        var cells = new List<(string Layer, int Units, string Reading, string Claim, ClaimTest Data, ClaimTest Null)>();
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            int units = Units(layer);
            int? b = CompressionOf(inputWidth, units);
            foreach (var m in layer.Measurement.Readings)
            {
                var reading = Readings.Get(m.Reading);
                var n = nullLayers[i].Measurement.Readings.First(x => x.Reading == m.Reading);
                bool onScale = reading.IsingScale && isingInput;
                string q = reading.IsingScale ? "K" : "rho";
                ClaimTest Test(ReadingMeasurement r, Func<ReadingMeasurement, ParameterEstimate?> pick, string quantity, string label, double target, double targetSe, string? blocked)
                {
                    var e = pick(r);
                    var combined = RandomEffects.Combine([e?.Estimate ?? double.NaN], [e?.StandardError ?? double.NaN], confidenceLevel);
                    return new ClaimTest(label, quantity, b ?? 0, i + 1, combined, target, TestKind.Equivalence, margin,
                        combined.FailedFits > 0 ? "the reading gave no finite estimate"
                        : !(e!.StandardError > 0) ? "the reading has no standard error (no bootstrap replicates)" : blocked, targetSe);
                }
                string? Misspecified(ReadingMeasurement r) => r.HomogeneityP is double p && p < alpha
                    ? $"one common field is rejected against per-unit fields (likelihood-ratio p < {ClaimMath.F(alpha)}): the homogeneous h is misspecified" : null;
                cells.Add((layer.Name, units, m.Reading, "fixed_point_coupling",
                    Test(m, r => r.Coupling, q, $"{q} of {layer.Name} vs θ* ({q}* = 0)", 0, 0, null),
                    Test(n, r => r.Coupling, q, $"{q} of {layer.Name} vs θ* ({q}* = 0)", 0, 0, null)));
                if (onScale)
                    cells.Add((layer.Name, units, m.Reading, "fixed_point_marginal",
                        Test(m, r => r.Field, "h", $"h of {layer.Name} vs θ* (h* = {ClaimMath.F(hStar)})", hStar, uncertainty.FixedPoint.GetValueOrDefault("h"), Misspecified(m)),
                        Test(n, r => r.Field, "h", $"h of {layer.Name} vs θ* (h* = {ClaimMath.F(hStar)})", hStar, uncertainty.FixedPoint.GetValueOrDefault("h"), Misspecified(n))));
                if (onScale && b is int bb)
                {
                    double k = byCompression[bb]["K"], se = uncertainty.CouplingByCompression.GetValueOrDefault(bb);
                    cells.Add((layer.Name, units, m.Reading, "finite_scale",
                        Test(m, r => r.Coupling, "K", $"K of {layer.Name} (b={bb}) vs R_{bb}(θ0)", k, se, null),
                        Test(n, r => r.Coupling, "K", $"K of {layer.Name} (b={bb}) vs R_{bb}(θ0)", k, se, null)));
                }
            }
        }
        var p = cells.Select(c => c.Data.PValues()).ToArray();
        var eq = Holm.Adjust(p.Select(x => x.Equivalence).ToArray());
        var diff = Holm.Adjust(p.Select(x => x.Difference).ToArray());
        var comparisons = cells.Select((c, k) =>
        {
            var data = ClaimEvaluator.Judge(c.Data, p[k], eq[k], diff[k], alpha);
            var np = c.Null.PValues();
            var control = ClaimEvaluator.Judge(c.Null, np, np.Equivalence, np.Difference, alpha);
            string verdict = data.Verdict == Verdicts.Holds && control.Verdict == Verdicts.Holds ? Verdicts.IndistinguishableFromControl : data.Verdict;
            return new ProbeComparison(c.Layer, c.Units, c.Reading, c.Claim, data, control, verdict);
        }).ToArray();
        return new ProbeRgComparison(targets.Fit, targets.Theta0, targets.FixedPoint, byCompression, uncertainty, margin, confidenceLevel, targets.NullDescription, comparisons);
    }

    /// <summary>The compression b = N / M of a chain of M units read from N sites, when it is an integer ≥ 2 (null otherwise: no R_b to compare with).</summary>
    public static int? CompressionOf(int inputWidth, int units) =>
        units >= 2 && inputWidth % units == 0 && inputWidth / units >= 2 ? inputWidth / units : null;

    private static int Units(ProbedLayer layer) => layer.Channels?.Sites ?? layer.Measurement.Width;

    private static double ValueOf(ChainParameters theta, string name)
    {
        var names = theta.Family.Parameters.Select(x => x.Name).ToList();
        int i = names.IndexOf(name);
        return i < 0 ? double.NaN : theta.Values()[i];
    }
}
