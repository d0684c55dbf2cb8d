using RgLens.Data;
using RgLens.Estimation;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Numerics;

namespace RgLens.Probes;

/// <summary>A convolutional layer read channel by channel: the pooled measurement of each reading and the layer's gauge.</summary>
/// <param name="Readings">Per reading, the channels pooled (<see cref="ChannelChains.Pool"/>).</param>
/// <param name="Gauge">The units in column order with their channel's sign; centroids undefined (NaN).</param>
/// <param name="ChannelSigns">The sign of each channel.</param>
public sealed record ChannelReading(IReadOnlyList<ReadingMeasurement> Readings, UnitGauge Gauge, IReadOnlyList<int> ChannelSigns);

/// <summary>
/// Reads a convolutional layer as the chains it holds: its units sit on the chain, so each channel
/// is read as a chain in site order (no order gauge, docs/theory-choices.md), its sign fixed per
/// channel by the correlation of the channel's mean pre-activation with the input's magnetization.
/// The layer's measurement pools the channels: the mean of the per-channel estimates, with standard
/// error √(Σ se_c²)/C (channels treated as independent readings), likelihood-ratio statistics and
/// degrees of freedom summed. The layout (which index runs fastest in a row) is explicit: RgLens's
/// site-major units or ONNX's NCW (<see cref="ChannelOrder"/>).
/// </summary>
public static class ChannelChains
{
    /// <summary>Reads every channel of a layer and pools them.</summary>
    /// <param name="pre">Pre-activations, samples × C · W in <paramref name="layout"/>'s order (the binary readings take their sign).</param>
    /// <param name="act">Activations, the same shape (the continuous reading).</param>
    /// <param name="layout">Channels, sites and flattening of the units.</param>
    /// <param name="inputs">The network's input samples (their magnetization fixes each channel's sign).</param>
    /// <param name="readings">The readings.</param>
    /// <param name="boundary">The chain's boundary.</param>
    /// <param name="replicates">Bootstrap replicates (0: point estimates).</param>
    /// <param name="seed">Seed of the readings' draws; channel c of layer <paramref name="layer"/> uses stream <c>layer · 4096 + c</c>.</param>
    /// <param name="layer">The layer's index (for the random streams).</param>
    /// <param name="orderFree">Whether to fit the all-pairs models per channel.</param>
    /// <exception cref="ArgumentException">The matrices do not have C · W columns, or their rows differ from the inputs'.</exception>
    public static ChannelReading Read(SampleMatrix<float> pre, SampleMatrix<float> act, ChannelLayout layout, SampleMatrix<float> inputs,
        IReadOnlyList<IReading> readings, Boundary boundary, int replicates, ulong seed, int layer, bool orderFree = false)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(act);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(readings);
        int c = layout.Channels, m = layout.Sites, n = pre.Rows;
        if (pre.Columns != layout.Units || act.Columns != layout.Units || act.Rows != n || inputs.Rows != n)
            throw new ArgumentException($"a layer of {c} channels x {m} sites needs {n} x {layout.Units} pre-activations and activations and {n} input rows; got {pre.Rows} x {pre.Columns}, {act.Rows} x {act.Columns} and {inputs.Rows}.");
        var signs = new int[c * m];
        var channelSigns = new int[c];
        var perChannel = new List<ReadingMeasurement>[readings.Count];
        for (int r = 0; r < readings.Count; r++) perChannel[r] = [];
        var magnet = Gauge.Magnetization(inputs);
        for (int ch = 0; ch < c; ch++)
        {
            var p = Channel(pre, layout, ch);
            var a = Channel(act, layout, ch);
            int sign = Gauge.Sign(ChannelMean(p), magnet);
            channelSigns[ch] = sign;
            for (int site = 0; site < m; site++) signs[layout.Column(ch, site)] = sign;
            var gauge = new UnitGauge(Enumerable.Range(0, m).ToArray(), Enumerable.Repeat(sign, m).ToArray(), Enumerable.Range(0, m).Select(i => (double)i).ToArray());
            var memo = new LayerMemo();
            for (int r = 0; r < readings.Count; r++)
                perChannel[r].Add(readings[r].Read(new ReadingInput(p, a, gauge, boundary, replicates,
                    RandomStream.Derive(seed, "layer-" + readings[r].Id, layer * 4096 + ch), orderFree, Memo: memo)));
        }
        var pooled = readings.Select((reading, r) => Pool(reading.Id, perChannel[r])).ToArray();
        var layerGauge = new UnitGauge(Enumerable.Range(0, c * m).ToArray(), signs, Enumerable.Repeat(double.NaN, c * m).ToArray());
        return new ChannelReading(pooled, layerGauge, channelSigns);
    }

    /// <summary>Channel <paramref name="channel"/> of a layer: samples × W, in site order.</summary>
    public static SampleMatrix<float> Channel(SampleMatrix<float> units, ChannelLayout layout, int channel)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, layout.Channels);
        int m = layout.Sites, n = units.Rows;
        var result = new SampleMatrix<float>(n, m);
        for (int row = 0; row < n; row++)
            for (int site = 0; site < m; site++)
                result[row, site] = units[row, layout.Column(channel, site)];
        return result;
    }

    /// <summary>The channels' readings pooled into one (see the class summary); unit means and fields in channel order, warnings prefixed by the channel.</summary>
    public static ReadingMeasurement Pool(string id, IReadOnlyList<ReadingMeasurement> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0) throw new ArgumentException("no channels to pool.", nameof(channels));
        static ParameterEstimate? Mean(IReadOnlyList<ParameterEstimate?> es)
        {
            if (es.Any(e => e is null)) return null;
            double est = es.Average(e => e!.Estimate);
            double se = Math.Sqrt(es.Sum(e => e!.StandardError * e.StandardError)) / es.Count;
            return BinaryChainReading.Estimate(es[0]!.Name, est, se);
        }
        double? lr = channels.All(x => x.HomogeneityStatistic is not null) ? channels.Sum(x => x.HomogeneityStatistic!.Value) : null;
        int? df = channels.All(x => x.HomogeneityDegreesOfFreedom is not null) ? channels.Sum(x => x.HomogeneityDegreesOfFreedom!.Value) : null;
        double? p = lr is double l && df is int d && d > 0 ? MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(d / 2.0, l / 2) : null;
        var warnings = channels.SelectMany((x, i) => x.Warnings.Select(w => $"channel {i}: {w}")).ToList();
        if (Heterogeneity(channels.Select(x => x.Coupling).ToArray()) is { } differ) warnings.Add(differ);
        return new ReadingMeasurement(id, channels.Sum(x => x.Units), Mean(channels.Select(x => (ParameterEstimate?)x.Coupling).ToArray())!,
            Mean(channels.Select(x => x.Field).ToArray()), Mean(channels.Select(x => x.HomogeneousCoupling).ToArray()), lr, df, p,
            channels.SelectMany(x => x.UnitMeans).ToArray(), channels.All(x => x.UnitFields is not null) ? channels.SelectMany(x => x.UnitFields!).ToArray() : null,
            channels.Average(x => x.MultiInformation), null, warnings)
        {
            Channels = channels.ToArray(),
        };
    }

    /// <summary>
    /// Cochran's Q of the channels' couplings against their inverse-variance mean, χ² with C − 1
    /// degrees of freedom: when p &lt; 0.05 the channels differ beyond their standard errors, and
    /// the pooled mean (whose standard error takes each channel's estimate as exact) stands for
    /// none of them. One degenerate channel (a unit that never changes sign, its coupling set by the
    /// ridge) can drag the mean far from the others; the warning names the outlying channels.
    /// </summary>
    internal static string? Heterogeneity(IReadOnlyList<ParameterEstimate> couplings)
    {
        var usable = couplings.Select((e, i) => (e, i)).Where(t => double.IsFinite(t.e.Estimate) && t.e.StandardError > 0 && double.IsFinite(t.e.StandardError)).ToArray();
        if (usable.Length < 2) return null;
        double w = usable.Sum(t => 1 / (t.e.StandardError * t.e.StandardError));
        double mean = usable.Sum(t => t.e.Estimate / (t.e.StandardError * t.e.StandardError)) / w;
        double q = usable.Sum(t => Math.Pow((t.e.Estimate - mean) / t.e.StandardError, 2));
        int df = usable.Length - 1;
        double p = MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(df / 2.0, q / 2);
        if (!(p < 0.05)) return null;
        var far = usable.OrderByDescending(t => Math.Abs(t.e.Estimate - mean) / t.e.StandardError).Take(3)
            .Select(t => $"channel {t.i}: {t.e.Name} = {t.e.Estimate:G3} ± {t.e.StandardError:G2}");
        return $"the channels' couplings differ beyond their standard errors (Cochran's Q = {q:G4}, {df} df, p = {p:G2}); the pooled mean stands for none of them: {string.Join("; ", far)} (every channel's reading is under 'channels' in JSON).";
    }

    /// <summary>Each sample's mean over the channel's sites.</summary>
    private static double[] ChannelMean(SampleMatrix<float> channel)
    {
        int n = channel.Rows, m = channel.Columns;
        var mean = new double[n];
        for (int row = 0; row < n; row++)
        {
            double s = 0;
            for (int site = 0; site < m; site++) s += channel[row, site];
            mean[row] = s / m;
        }
        return mean;
    }
}
