using RgLens.Comparison;
using RgLens.Nn;
using RgLens.Probes;

namespace RgLens.Experiments;

/// <summary>
/// One row of the verdict table (theory.md §4): which comparison (a: feature vs θ*, b: feature vs
/// R_b(θ0), c: layer l vs R_2^l(θ0)), for which network and reading, and its verdict.
/// </summary>
/// <param name="Kind">"a", "b" or "c".</param>
/// <param name="Objective">The objective.</param>
/// <param name="Reading">The reading.</param>
/// <param name="Compression">b of the network.</param>
/// <param name="Layer">The layer compared.</param>
/// <param name="Parameter">The parameter compared.</param>
/// <param name="Verdict">The verdict.</param>
public sealed record VerdictEntry(string Kind, Objective Objective, LayerReading Reading, int Compression, int Layer, string Parameter, Verdict Verdict);
