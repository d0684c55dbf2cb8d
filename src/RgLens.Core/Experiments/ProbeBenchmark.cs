using System.Diagnostics;
using RgLens.Data;
using RgLens.Models;
using RgLens.Networks;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Sampling;

namespace RgLens.Experiments;

/// <summary>One round of the probe benchmark (seconds): each probe beside an OnnxRuntime forward pass timed just before it.</summary>
/// <param name="ForwardBeforeNpz">OnnxRuntime's forward pass over the samples (the network's output only), timed before the NPZ probe: its yardstick.</param>
/// <param name="Npz">The whole <c>rglens probe</c> of the RgLens file: its forward pass with every layer kept, gauges, readings.</param>
/// <param name="NpzPass">Of which the network pass that keeps every layer (engine).</param>
/// <param name="ForwardBeforeOnnx">The same forward pass, timed before the ONNX probe.</param>
/// <param name="Onnx">The whole probe of the ONNX file.</param>
/// <param name="OnnxPass">Of which the OnnxRuntime pass that returns every layer's tensors.</param>
public sealed record ProbeBenchmarkRound(double ForwardBeforeNpz, double Npz, double NpzPass, double ForwardBeforeOnnx, double Onnx, double OnnxPass)
{
    /// <summary>The readings' own cost (gauges, readings, bootstraps) for the RgLens file: probe minus its network pass.</summary>
    public double NpzReadings => Npz - NpzPass;

    /// <summary>The readings' own cost for the ONNX file.</summary>
    public double OnnxReadings => Onnx - OnnxPass;

    /// <summary>NPZ readings over the forward pass timed beside them.</summary>
    public double NpzRatio => NpzReadings / ForwardBeforeNpz;

    /// <summary>ONNX readings over the forward pass timed beside them.</summary>
    public double OnnxRatio => OnnxReadings / ForwardBeforeOnnx;
}

/// <summary>The probe benchmark's result.</summary>
/// <param name="Workload">The MLP workload's name (<see cref="MlpBenchmark.Workloads"/>).</param>
/// <param name="Widths">Its encoder widths (input first).</param>
/// <param name="Samples">Samples probed.</param>
/// <param name="Threads">Threads of OnnxRuntime, the engine and the readings.</param>
/// <param name="Replicates">Bootstrap replicates of every reading.</param>
/// <param name="Readings">The readings run on every layer.</param>
/// <param name="Layers">The layers read (name and units).</param>
/// <param name="EngineForward">The RgLens engine's forward pass over the same samples (once).</param>
/// <param name="Rounds">The rounds, in the order run.</param>
public sealed record ProbeBenchmarkResult(string Workload, IReadOnlyList<int> Widths, int Samples, int Threads, int Replicates,
    IReadOnlyList<string> Readings, IReadOnlyList<(string Name, int Units)> Layers, double EngineForward, IReadOnlyList<ProbeBenchmarkRound> Rounds)
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}

/// <summary>
/// <c>rglens bench probe</c>: the cost of reading every layer of an MLP with the default readings,
/// set beside the cost of the network's own forward pass with OnnxRuntime over the same data, in
/// one run. The network is the MLP training workload of the same name (an autoencoder whose
/// decoder mirrors the encoder; tanh hidden layers, linear output), initialized with a fixed seed
/// (the readings' cost does not depend on what the weights learned); the data are samples of a
/// periodic Ising chain (K = 0.5, h = 0) on the input's sites. The network is written as RgLens
/// NPZ and as ONNX to a temporary folder and probed from each file as <c>rglens probe</c> does.
/// The machine's speed drifts by ±15–20 % between minutes on a shared VM, so the benchmark runs in
/// rounds: each probe is set beside an OnnxRuntime forward pass timed just before it (a fresh
/// session each time, warmed up, and closed before the probe so that its threads do not spin
/// beside the readings), and the ratios are reported per round and as their median.
/// </summary>
public static class ProbeBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="workload"/> (small, medium, large).</summary>
    public static ProbeBenchmarkResult Run(string workload, int samples, int threads, int replicates, int rounds = 3, CancellationToken cancellation = default)
    {
        var entry = MlpBenchmark.Workloads.FirstOrDefault(w => w.Name == workload);
        if (entry.Widths is null)
            throw new ArgumentException($"unknown workload '{workload}'; the workloads are {string.Join(", ", MlpBenchmark.Workloads.Select(w => w.Name))}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfNegative(replicates);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        int sites = entry.Widths[0];
        MemoryBudget.RequireMatrix("the benchmark's samples", samples, sites, sizeof(float));
        // The network passes and exports below look at the run's token (RunCancellation), not at a
        // parameter: this call's token becomes theirs too, beside the run's own.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, RunCancellation.Token);
        using var scope = RunCancellation.Use(linked.Token);
        cancellation = linked.Token;
        var spec = NetworkSpec.Autoencoder(entry.Widths, Activation.Tanh, Activation.Identity);
        var network = Network.Create(spec, 1);
        var spins = IsingSampler.Sample(new ChainModel(new IsingParameters(0.5, 0), sites, Boundary.Periodic), samples, 2, threads, cancellation);
        var x = new SampleMatrix<float>(samples, sites);
        for (int r = 0; r < samples; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var row = spins.Row(r);
            var target = x.Row(r);
            for (int i = 0; i < sites; i++) target[i] = row[i];
        }
        spins = null;
        var readings = Probes.Readings.All;
        string dir = Path.Combine(Path.GetTempPath(), $"rglens-bench-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string npz = Path.Combine(dir, "network.npz"), onnx = Path.Combine(dir, "network.onnx");
            // Scratch files read back by this run: visible at once, not staged with the run's outputs.
            NetworkFile.Save(network, npz, immediate: true);
            OnnxExport.Save(network, onnx, immediate: true);
            var sw = new Stopwatch();
            double Forward()
            {
                using var source = NetworkSources.Open(onnx, ["output"], threads);
                source.Run(x.SelectRows(Enumerable.Range(0, Math.Min(samples, 256)).ToArray())); // warm-up (session, arenas)
                cancellation.ThrowIfCancellationRequested();
                sw.Restart();
                source.Run(x);
                double seconds = sw.Elapsed.TotalSeconds;
                cancellation.ThrowIfCancellationRequested();
                return seconds;
            }
            sw.Restart();
            network.Forward(x, threads);
            double engineForward = sw.Elapsed.TotalSeconds;
            cancellation.ThrowIfCancellationRequested();
            // Warm-up, as OnnxRuntime has one: every code path of the probe compiled and tiered up
            // on a slice of the samples (from both files), so that the timed runs measure the work.
            var slice = x.SelectRows(Enumerable.Range(0, Math.Min(samples, 8192)).ToArray());
            NetworkProbeRun.Run(npz, slice, null, readings, Boundary.Periodic, Math.Min(replicates, 10), 3, threads, cancellation);
            NetworkProbeRun.Run(onnx, slice, null, readings, Boundary.Periodic, Math.Min(replicates, 10), 3, threads, cancellation);
            slice = null;
            (string Name, int Units)[] layers = [];
            var results = new List<ProbeBenchmarkRound>();
            for (int round = 0; round < rounds; round++)
            {
                GC.Collect();
                double forwardNpz = Forward();
                var npzTiming = new ProbeTiming();
                var read = NetworkProbeRun.Run(npz, x, null, readings, Boundary.Periodic, replicates, 3, threads, cancellation, npzTiming);
                layers = read.Select(l => (l.Name, l.Measurement.Width)).ToArray();
                read = null;
                GC.Collect();
                double forwardOnnx = Forward();
                var onnxTiming = new ProbeTiming();
                NetworkProbeRun.Run(onnx, x, null, readings, Boundary.Periodic, replicates, 3, threads, cancellation, onnxTiming);
                results.Add(new ProbeBenchmarkRound(forwardNpz, npzTiming.TotalSeconds, npzTiming.NetworkSeconds, forwardOnnx, onnxTiming.TotalSeconds, onnxTiming.NetworkSeconds));
            }
            return new ProbeBenchmarkResult(workload, entry.Widths, samples, threads, replicates, readings.Select(r => r.Id).ToArray(), layers, engineForward, results);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
