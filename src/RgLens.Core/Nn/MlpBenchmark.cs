using System.Diagnostics;
using RgLens.Data;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The reference MLP training workloads (docs/train.md), measured the way the peers in
/// bench/peers/torch_mlp_bench.py measure them: an autoencoder whose decoder mirrors the
/// encoder, tanh hidden layers and a linear output, MSE, Adam (lr 10⁻³); 64 batches of ±1 data
/// visited in turn; 20 warm-up steps; then full steps (forward, backward, update) for a fixed
/// time. GFLOP/s count 6 flops per multiply-add per sample, as the peers do.
/// </summary>
public static class MlpBenchmark
{
    /// <summary>The workloads: name, encoder widths, batch size.</summary>
    public static IReadOnlyList<(string Name, int[] Widths, int Batch)> Workloads { get; } =
    [
        ("small", [64, 32, 16], 128),
        ("medium", [256, 256, 128, 64], 256),
        ("large", [1024, 1024, 512], 512),
    ];

    /// <summary>Warm-up steps before timing (the peers use 20).</summary>
    private const int WarmUpSteps = 20;

    /// <summary>Batches of data cycled through (the peers use 64).</summary>
    private const int DataBatches = 64;

    /// <summary>The kernel path the engine takes on this machine by default: avx512, avx2 or scalar.</summary>
    public static string KernelPath => KernelPaths.Name(KernelPaths.Best);

    /// <summary>The kernel paths this CPU can run, fastest first (avx512, avx2, scalar).</summary>
    public static IReadOnlyList<string> SupportedPaths { get; } =
        new[] { Numerics.KernelPath.Vector512, Numerics.KernelPath.Vector256, Numerics.KernelPath.Scalar }.Where(KernelPaths.IsSupported).Select(KernelPaths.Name).ToArray();

    /// <summary>
    /// Runs workload <paramref name="name"/> on <paramref name="threads"/> threads for about
    /// <paramref name="seconds"/>, on kernel path <paramref name="path"/> (null: the fastest).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown workload or path, threads &lt; 1 or seconds ≤ 0.</exception>
    public static MlpBenchmarkResult Run(string name, int threads, double seconds, string? path = null, CancellationToken cancellation = default)
    {
        var workload = Workloads.FirstOrDefault(w => w.Name == name);
        if (workload.Widths is null) throw new ArgumentException($"unknown workload '{name}'; expected one of {string.Join(", ", Workloads.Select(w => w.Name))}.", nameof(name));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (!(seconds > 0)) throw new ArgumentException($"the measuring time must be > 0 s; got {seconds}.", nameof(seconds));
        var (_, widths, batch) = workload;
        var spec = NetworkSpec.Autoencoder(widths, Activation.Tanh, Activation.Identity);
        var parameters = Network.Create(spec, 0).Parameters.ToArray();
        var kernel = path is null ? KernelPaths.Best : ParsePath(path);
        cancellation.ThrowIfCancellationRequested(); // the set-up of the large workload takes about 1 s on one core: looked at between its parts
        var optimizer = new Optimizer(new AdamSettings(), 0, parameters.Length, kernel);
        using var engine = new StepEngine(spec, parameters, optimizer, Loss.MeanSquaredError, threads, batch, kernel);
        var data = new SampleMatrix<float>(DataBatches * batch, widths[0]);
        var random = RandomStream.For(0, "bench-mlp");
        int perBatch = batch * widths[0];
        for (int b = 0; b < DataBatches; b++)
        {
            cancellation.ThrowIfCancellationRequested();
            var values = data.Data.AsSpan(b * perBatch, perBatch);
            for (int i = 0; i < values.Length; i++) values[i] = (random.NextUInt64() & 1) == 0 ? -1f : 1f;
        }
        var rows = Enumerable.Range(0, data.Rows).ToArray();
        long step = 0;
        double loss = 0;
        for (; step < WarmUpSteps; step++)
        {
            cancellation.ThrowIfCancellationRequested(); // checked like the timed steps: the large workload's 20 take ~1.5 s on one core
            loss = engine.Step(data, data, rows, (int)(step % DataBatches) * batch, batch, 1e-3f);
        }
        long timed = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            cancellation.ThrowIfCancellationRequested();
            loss = engine.Step(data, data, rows, (int)(step++ % DataBatches) * batch, batch, 1e-3f);
            timed++;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        var dims = spec.Widths;
        long macs = 0;
        for (int l = 1; l < dims.Count; l++) macs += (long)dims[l - 1] * dims[l];
        double samplesPerSecond = timed * batch / elapsed;
        return new MlpBenchmarkResult(name, widths, batch, threads, timed, elapsed, samplesPerSecond, samplesPerSecond * 6 * macs / 1e9, loss, KernelPaths.Name(kernel));
    }

    private static Numerics.KernelPath ParsePath(string name)
    {
        foreach (var p in new[] { Numerics.KernelPath.Vector512, Numerics.KernelPath.Vector256, Numerics.KernelPath.Scalar })
            if (KernelPaths.Name(p) == name)
                return KernelPaths.IsSupported(p) ? p : throw new ArgumentException($"kernel path '{name}' is not supported on this CPU; it supports {string.Join(", ", SupportedPaths)}.", nameof(name));
        throw new ArgumentException($"unknown kernel path '{name}'; expected one of avx512, avx2, scalar.", nameof(name));
    }
}
