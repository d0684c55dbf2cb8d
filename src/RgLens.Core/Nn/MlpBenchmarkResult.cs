namespace RgLens.Nn;

/// <summary>One measurement of <see cref="MlpBenchmark"/>.</summary>
/// <param name="Workload">small, medium or large.</param>
/// <param name="Widths">The encoder widths (the decoder mirrors them).</param>
/// <param name="Batch">Samples per step.</param>
/// <param name="Threads">Threads of the engine.</param>
/// <param name="Steps">Timed steps.</param>
/// <param name="Seconds">Timed wall time.</param>
/// <param name="SamplesPerSecond">Training throughput.</param>
/// <param name="Gflops">Arithmetic rate, 6 flops per multiply-add per sample (the peers' convention).</param>
/// <param name="FinalLoss">The loss of the last step (a sanity check that training ran).</param>
/// <param name="KernelPath">avx512, avx2 or scalar.</param>
public sealed record MlpBenchmarkResult(string Workload, int[] Widths, int Batch, int Threads, long Steps, double Seconds,
    double SamplesPerSecond, double Gflops, double FinalLoss, string KernelPath);
