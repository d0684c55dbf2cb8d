using System.Diagnostics;
using RgLens.Data;
using RgLens.Numerics;

namespace RgLens.Nn;

/// <summary>
/// The reference 1-D convolutional training workload of bench/peers/torch_conv_bench.py:
/// a periodic chain of 256 sites, one channel, ±1 values; an encoder of four stride-2 circular
/// convolutions (kernel 3, channels 1-8-16-32-32, tanh: 256 → 16 sites); a decoder of four
/// nearest-neighbour upsamplings by 2, each followed by a stride-1 circular convolution (channels
/// 32-32-16-8-1, tanh after each but the last); MSE against the input; Adam (lr 10⁻³); batch 256;
/// 16 batches visited in turn; 10 warm-up steps, then full steps for a fixed time. GFLOP/s count
/// 6 flops per multiply-add per sample, as the peer does.
/// </summary>
public static class ConvBenchmark
{
    /// <summary>Sites of the chain.</summary>
    public const int Sites = 256;

    /// <summary>Samples per step.</summary>
    public const int Batch = 256;

    /// <summary>Encoder channels (the decoder runs them backwards).</summary>
    public static IReadOnlyList<int> Channels { get; } = [1, 8, 16, 32, 32];

    private const int WarmUpSteps = 10, DataBatches = 16;

    /// <summary>The workload's network: the encoder, then the upsample-and-convolve decoder.</summary>
    public static NetworkSpec Spec()
    {
        var layers = new List<LayerSpec>();
        int sites = Sites;
        for (int l = 1; l < Channels.Count; l++)
        {
            layers.Add(LayerSpec.Conv1d(Channels[l - 1], Channels[l], sites, 3, 2, Padding.Circular, Activation.Tanh));
            sites /= 2;
        }
        int[] decoder = [32, 32, 16, 8, 1];
        for (int d = 1; d < decoder.Length; d++)
        {
            layers.Add(LayerSpec.Conv1d(decoder[d - 1], decoder[d], sites, 3, 1, Padding.Circular,
                d == decoder.Length - 1 ? Activation.Identity : Activation.Tanh, upsample: 2));
            sites *= 2;
        }
        return new NetworkSpec(Sites, layers, Channels.Count - 1, Objective.Autoencoder);
    }

    /// <summary>Multiply-adds per sample of the forward pass.</summary>
    public static long MacsPerSample(NetworkSpec spec) =>
        spec.Layers.Sum(l => (long)l.OutputSites * l.OutChannels * l.InChannels * l.Kernel);

    /// <summary>Runs the workload on <paramref name="threads"/> threads for about <paramref name="seconds"/>.</summary>
    /// <exception cref="ArgumentException">threads &lt; 1 or seconds ≤ 0.</exception>
    public static MlpBenchmarkResult Run(int threads, double seconds, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        if (!(seconds > 0)) throw new ArgumentException($"the measuring time must be > 0 s; got {seconds}.", nameof(seconds));
        var spec = Spec();
        var parameters = Network.Create(spec, 0).Parameters.ToArray();
        var kernel = KernelPaths.Best;
        var optimizer = new Optimizer(new AdamSettings(), 0, parameters.Length, kernel);
        using var engine = new StepEngine(spec, parameters, optimizer, Loss.MeanSquaredError, threads, Batch, kernel);
        var data = new SampleMatrix<float>(DataBatches * Batch, Sites);
        var random = RandomStream.For(0, "bench-conv");
        for (int i = 0; i < data.Data.Length; i++) data.Data[i] = (random.NextUInt64() & 1) == 0 ? -1f : 1f;
        var rows = Enumerable.Range(0, data.Rows).ToArray();
        long step = 0, timed = 0;
        double loss = 0;
        for (; step < WarmUpSteps; step++)
        {
            cancellation.ThrowIfCancellationRequested(); // checked like the timed steps: 10 warm-up steps take ~0.2 s on one core
            loss = engine.Step(data, data, rows, (int)(step % DataBatches) * Batch, Batch, 1e-3f);
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            cancellation.ThrowIfCancellationRequested();
            loss = engine.Step(data, data, rows, (int)(step++ % DataBatches) * Batch, Batch, 1e-3f);
            timed++;
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        double samplesPerSecond = timed * Batch / elapsed;
        return new MlpBenchmarkResult("conv", Channels.ToArray(), Batch, threads, timed, elapsed, samplesPerSecond,
            samplesPerSecond * 6 * MacsPerSample(spec) / 1e9, loss, KernelPaths.Name(kernel));
    }
}
