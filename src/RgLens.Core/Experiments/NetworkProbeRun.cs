using RgLens.Data;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Numerics;
using RgLens.Probes;
using RgLens.Results;

namespace RgLens.Experiments;

/// <summary>One layer of a user's network, read.</summary>
/// <param name="Name">The layer's name (RgLens: "layer2"; ONNX: the activation's output tensor).</param>
/// <param name="Operation">What produced it (the activation, e.g. "Tanh").</param>
/// <param name="Shape">The layer output's shape per sample as the network has it (flattened for the readings).</param>
/// <param name="Measurement">Every reading of the layer, gauge-fixed.</param>
/// <param name="PreActivations">What the binary readings took the sign of (samples × units).</param>
/// <param name="Activations">The layer's output (samples × units).</param>
public sealed record ProbedLayer(string Name, string Operation, IReadOnlyList<long> Shape, LayerMeasurement Measurement,
    SampleMatrix<float> PreActivations, SampleMatrix<float> Activations)
{
    /// <summary>The channels the layer was read as (each a chain in site order), or null when its units were read as one gauge-fixed chain.</summary>
    public ChannelLayout? Channels { get; init; }
}

/// <summary>Where a probe's time went (seconds), filled in by <see cref="NetworkProbeRun.Run"/> when asked.</summary>
public sealed class ProbeTiming
{
    /// <summary>The network's pass over the data that keeps every layer read (RgLens engine or OnnxRuntime).</summary>
    public double NetworkSeconds { get; set; }

    /// <summary>The whole probe.</summary>
    public double TotalSeconds { get; set; }

    /// <summary>Everything but the network's pass: receptive fields, gauges, readings, bootstraps.</summary>
    public double ReadingSeconds => TotalSeconds - NetworkSeconds;
}

/// <summary>
/// Reads every layer of a network that RgLens did not necessarily train (an RgLens NPZ file or an
/// ONNX model) on the user's data, with the same gauge-fixed readings as <c>correspond</c>
/// (docs/theory-choices.md, "The network's output system"). For RgLens networks the pre-activations
/// and the weight-based receptive fields are exact. For ONNX models a layer is an activation node:
/// its input is the pre-activation and its output the activation; the receptive field of the
/// order gauge is |W_l|⋯|W_1| of the stored weights where the path from the input is a chain of
/// dense layers (<see cref="Networks.OnnxDenseWeights"/>), and empirical elsewhere, |corr(a_j, x_i)|
/// over the data (both are invariant under sign flips and permutations of units).
/// A tensor named with <c>layers</c> that is not an activation's output is read as both.
/// A convolutional layer (an RgLens convolution; an ONNX tensor of shape [batch, C, W], W ≥ 2; or a
/// tensor whose layout the model's metadata records, as RgLens's export does) is read channel by
/// channel (<see cref="ChannelChains"/>), each channel a chain in site order, as <c>correspond</c> does.
/// </summary>
public static class NetworkProbeRun
{
    /// <summary>Reads the layers.</summary>
    /// <exception cref="DataFormatException">The file, the data or a layer name is unusable (one line).</exception>
    public static IReadOnlyList<ProbedLayer> Run(string networkPath, SampleMatrix<float> data, IReadOnlyList<string>? layers, IReadOnlyList<IReading> readings,
        Boundary boundary, int replicates, ulong seed, int threads, CancellationToken cancellation = default, ProbeTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(networkPath);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            return RunLayers(networkPath, data, layers, readings, boundary, replicates, seed, threads, cancellation, timing);
        }
        finally
        {
            if (timing is not null) timing.TotalSeconds = clock.Elapsed.TotalSeconds;
        }
    }

    private static IReadOnlyList<ProbedLayer> RunLayers(string networkPath, SampleMatrix<float> data, IReadOnlyList<string>? layers, IReadOnlyList<IReading> readings,
        Boundary boundary, int replicates, ulong seed, int threads, CancellationToken cancellation, ProbeTiming? timing)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rows < 2) throw new DataFormatException($"the data hold {data.Rows} sample(s) of {data.Columns} values (a 1-D array is one sample); reading a layer needs at least 2.");
        bool periodic = boundary == Boundary.Periodic;
        // Layers in order; chain layers are read at the end, all their readings in one schedule.
        var result = new List<ProbedLayer?>();
        var pending = new List<Pending>();
        var magnetization = Gauge.Magnetization(data); // the same for every layer's gauge
        if (NetworkSources.IsRgLensFile(networkPath))
        {
            using var npz = new NpzNetworkSource(networkPath, [], threads);
            RequireWidth(npz, data, networkPath);
            var net = npz.Network;
            var pass = System.Diagnostics.Stopwatch.StartNew();
            var observation = net.Observe(data, threads);
            if (timing is not null) timing.NetworkSeconds = pass.Elapsed.TotalSeconds;
            int hidden = net.Depth - 1;
            var names = Enumerable.Range(1, hidden).Select(l => $"layer{l}").ToArray();
            // layerN.act and layerN.pre (the tensor names of the ONNX export) name layer N: it is read whole.
            static string Plain(string l) => l.EndsWith(".act", StringComparison.Ordinal) || l.EndsWith(".pre", StringComparison.Ordinal) ? l[..^4] : l;
            var chosen = layers is null ? names : layers.Select(l => names.Contains(Plain(l)) ? Plain(l)
                : throw new DataFormatException($"the network has no layer '{l}'; its layers are {string.Join(", ", names)}.")).Distinct().ToArray();
            // The dense layers at the bottom get their receptive fields as one running product, and
            // every layer's gauge the input's magnetization computed once.
            int denseBelow = net.Spec.Layers.TakeWhile(s => s.Kind == Nn.LayerKind.Dense).Count();
            int highest = chosen.Length == 0 ? 0 : chosen.Max(name => int.Parse(name["layer".Length..], System.Globalization.CultureInfo.InvariantCulture));
            var fields = Math.Min(denseBelow, highest) >= 1 ? Gauge.ReceptiveFields(net, Math.Min(denseBelow, highest), threads) : [];
            foreach (string name in chosen)
            {
                cancellation.ThrowIfCancellationRequested();
                int l = int.Parse(name["layer".Length..], System.Globalization.CultureInfo.InvariantCulture);
                var pre = observation.PreActivations(l);
                var act = observation.Activations(l);
                string op = Nn.NnNames.Name(net.Spec.Layers[l - 1].Activation);
                if (Chains(ChannelLayout.Of(net.Spec.Layers[l - 1])) is { } channels)
                {
                    result.Add(ReadChannels(name, op, [pre.Columns], l, pre, act, channels, data, readings, boundary, replicates, seed));
                    continue;
                }
                var gauge = l <= fields.Count
                    ? Gauge.Fix(fields[l - 1], net.Spec.InputWidth, data, pre, periodic, threads, magnetization)
                    : Gauge.Fix(net, l, data, pre, periodic, threads, cancellation, magnetization);
                pending.Add(new Pending(result.Count, name, op, [pre.Columns], l, pre, act, gauge));
                result.Add(null);
            }
            return ReadAll(result, pending, readings, boundary, replicates, seed, threads, cancellation);
        }
        // ONNX: activation nodes with their inputs, or the named tensors.
        var pairs = layers is null
            ? OnnxNetworkSource.ActivationLayers(networkPath).Select(p => (p.Activation, p.PreActivation, p.Operation)).ToArray()
            : OnnxNetworkSource.NamedLayers(networkPath, layers).ToArray();
        if (pairs.Length == 0) throw new DataFormatException($"'{networkPath}' has no activation node to read; name the tensors with --layers.");
        var names2 = pairs.SelectMany(p => new[] { p.Activation, p.PreActivation }).Distinct().ToArray();
        // One session, opened with every tensor the readings need, and closed before they run (its
        // threads would otherwise stay with the process, spinning for work after each run).
        NetworkOutputs outputs;
        using (var source = NetworkSources.Open(networkPath, names2, threads))
        {
            RequireWidth(source, data, networkPath);
            var onnxPass = System.Diagnostics.Stopwatch.StartNew();
            outputs = source.Run(data);
            if (timing is not null) timing.NetworkSeconds = onnxPass.Elapsed.TotalSeconds;
        }
        // Layers reached through a chain of dense layers get the receptive field of their stored weights, as RgLens files do.
        var chains = OnnxNetworkSource.DenseChains(networkPath, names2, data.Columns);
        var fieldsOf = new ReceptiveFieldCache(threads); // layers that share lower weights multiply them once
        int index = 0;
        foreach (var (actName, preName, op) in pairs)
        {
            cancellation.ThrowIfCancellationRequested();
            var act = outputs[actName];
            var preOutput = outputs[preName];
            var pre = preOutput.Values;
            if (pre.Columns != act.Values.Columns) pre = act.Values;
            string operation = op.Length > 0 ? op : act.Operation;
            long[] shape = act.Shape.Skip(1).ToArray();
            ++index;
            // The pre-activation must lay its units out as the activation does (or be the activation itself).
            if (Chains(act.Channels) is { } channels && (ReferenceEquals(pre, act.Values) || preOutput.Channels == channels))
            {
                result.Add(ReadChannels(actName, operation, shape, index, pre, act.Values, channels, data, readings, boundary, replicates, seed));
                continue;
            }
            var chain = chains.GetValueOrDefault(ReferenceEquals(pre, act.Values) ? actName : preName);
            var field = chain is not null && chain[^1].Outputs == pre.Columns
                ? fieldsOf.Of(chain)
                : Gauge.EmpiricalField(pre, data, threads, cancellation);
            var gauge = Gauge.Fix(field, data.Columns, data, pre, periodic, threads, magnetization);
            pending.Add(new Pending(result.Count, actName, operation, shape, index, pre, act.Values, gauge));
            result.Add(null);
        }
        return ReadAll(result, pending, readings, boundary, replicates, seed, threads, cancellation);
    }

    private static void RequireWidth(INetworkSource source, SampleMatrix<float> data, string path)
    {
        if (source.InputWidth is int n && n != data.Columns)
            throw new DataFormatException($"the data have {data.Columns} values per sample; the network '{path}' takes {n} inputs.");
    }

    /// <summary>A layer read as one chain, gauge fixed, waiting for its readings.</summary>
    private sealed record Pending(int Slot, string Name, string Op, IReadOnlyList<long> Shape, int Index, SampleMatrix<float> Pre,
        SampleMatrix<float> Act, UnitGauge Gauge);

    /// <summary>
    /// Every reading of every pending layer, as one schedule: the readings are independent and
    /// each gives the same numbers on any thread count, so with several threads they run side by
    /// side (their serial parts overlap), the most costly first (relative cost × units), each on a
    /// share of the threads. Fills the layers' slots in <paramref name="result"/>.
    /// </summary>
    private static IReadOnlyList<ProbedLayer> ReadAll(List<ProbedLayer?> result, List<Pending> pending, IReadOnlyList<IReading> readings,
        Boundary boundary, int replicates, ulong seed, int threads, CancellationToken cancellation)
    {
        foreach (var p in pending)
            if (p.Pre.Columns < 2) throw new DataFormatException($"layer '{p.Name}' has {p.Pre.Columns} unit(s); a chain needs at least 2.");
        var jobs = pending.SelectMany((p, i) => readings.Select((r, k) => (Layer: i, Reading: k, Cost: r.RelativeCost * p.Pre.Columns)))
            .OrderByDescending(j => j.Cost).ThenBy(j => j.Layer).ThenBy(j => j.Reading).ToArray();
        var measured = pending.Select(_ => new ReadingMeasurement[readings.Count]).ToArray();
        var memos = pending.Select(_ => new LayerMemo()).ToArray();
        int concurrent = Math.Clamp(threads, 1, Math.Max(1, jobs.Length)), share = Math.Max(1, threads / concurrent);
        // A job that copies its layer waits while another such job runs, as long as other work is left.
        var taken = new bool[jobs.Length];
        // A thread that finds no more readings lends itself to those still running.
        var spare = new SpareThreads(threads);
        int copying = 0;
        var gate = new object();
        int Next()
        {
            lock (gate)
            {
                int pick = -1;
                for (int q = 0; q < jobs.Length; q++)
                {
                    if (taken[q]) continue;
                    if (pick < 0) pick = q;
                    if (copying == 0 || !readings[jobs[q].Reading].CopiesLayer) { pick = q; break; }
                }
                if (pick >= 0)
                {
                    taken[pick] = true;
                    if (readings[jobs[pick].Reading].CopiesLayer) copying++;
                }
                return pick;
            }
        }
        Parallel.For(0, concurrent, new ParallelOptions { MaxDegreeOfParallelism = concurrent, CancellationToken = cancellation }, _ =>
        {
            for (int q; (q = Next()) >= 0;)
            {
                cancellation.ThrowIfCancellationRequested();
                var (i, k, _) = jobs[q];
                var p = pending[i];
                measured[i][k] = readings[k].Read(new ReadingInput(p.Pre, p.Act, p.Gauge, boundary, replicates,
                    RandomStream.Derive(seed, "layer-" + readings[k].Id, p.Index), readings[k].Id == "sign", share, cancellation, memos[i], spare));
                if (readings[k].CopiesLayer) lock (gate) copying--;
            }
            spare.Release();
        });
        for (int i = 0; i < pending.Count; i++)
        {
            var p = pending[i];
            result[p.Slot] = new ProbedLayer(p.Name, p.Op, p.Shape, new LayerMeasurement(p.Index, p.Pre.Columns, measured[i], p.Gauge), p.Pre, p.Act);
        }
        return result.Select(l => l!).ToArray();
    }

    /// <summary>The layout when its channels are chains (at least 2 sites); a one-site layer is read as its channels' units.</summary>
    private static ChannelLayout? Chains(ChannelLayout? layout) => layout is { Sites: >= 2 } ? layout : null;

    private static ProbedLayer ReadChannels(string name, string op, IReadOnlyList<long> shape, int index, SampleMatrix<float> pre, SampleMatrix<float> act,
        ChannelLayout channels, SampleMatrix<float> data, IReadOnlyList<IReading> readings, Boundary boundary, int replicates, ulong seed)
    {
        var read = ChannelChains.Read(pre, act, channels, data, readings, boundary, replicates, seed, index);
        return new ProbedLayer(name, op, shape, new LayerMeasurement(index, channels.Units, read.Readings, read.Gauge), pre, act) { Channels = channels };
    }
}
