namespace RgLens.Experiments;

/// <summary>
/// The immutable outcome of a correspondence experiment (theory.md §4): the configuration, the RG
/// side, every trained network and its readings, the seed-combined estimates, the verdicts, the
/// along-training trends and the timings. Reporting reads only this.
/// </summary>
/// <param name="Config">The configuration that produced it.</param>
/// <param name="Rg">The RG side.</param>
/// <param name="Runs">Every network, in a fixed order (objective, compression, seed).</param>
/// <param name="Combined">Estimates combined over seeds.</param>
/// <param name="Verdicts">Comparisons (a)–(c).</param>
/// <param name="Flows">Direction of the layer-wise flow per objective and reading.</param>
/// <param name="Trends">Comparison (d).</param>
/// <param name="Timings">Seconds per stage.</param>
/// <param name="KernelPath">The network kernels' instruction path.</param>
public sealed record CorrespondenceResult(
    CorrespondenceConfig Config,
    RgSide Rg,
    IReadOnlyList<NetworkRun> Runs,
    IReadOnlyList<CombinedEstimate> Combined,
    IReadOnlyList<VerdictEntry> Verdicts,
    IReadOnlyList<FlowSummary> Flows,
    IReadOnlyList<TrainingTrend> Trends,
    IReadOnlyDictionary<string, double> Timings,
    string KernelPath);
