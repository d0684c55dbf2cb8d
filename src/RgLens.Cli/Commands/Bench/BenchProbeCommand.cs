using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench probe</c>: the cost of reading every layer of an MLP (RgLens NPZ and ONNX)
/// beside OnnxRuntime's forward pass over the same samples (see <see cref="ProbeBenchmark"/>), as JSON.
/// </summary>
public sealed class BenchProbeCommand : ICliCommand
{
    /// <summary>The target of the issue that asked for this benchmark: readings under 3× the forward pass.</summary>
    private const double TargetRatio = 3;

    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var workload = new Option<string>("--workload") { Description = "MLP workload: " + string.Join(", ", MlpBenchmark.Workloads.Select(w => $"{w.Name} ({string.Join("-", w.Widths)})")) + ".", DefaultValueFactory = _ => "large" };
        var samples = new Option<int>("--samples") { Description = "Samples probed.", DefaultValueFactory = _ => 100_000 };
        var replicates = new Option<int>("--replicates") { Description = "Bootstrap replicates of every reading.", DefaultValueFactory = _ => 100 };
        var threads = new Option<int>("--threads") { Description = "Threads of OnnxRuntime, the engine and the readings (0: all cores).", DefaultValueFactory = _ => 0 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds, each timing both probes beside OnnxRuntime's forward pass; the ratios are reported per round and as their median.", DefaultValueFactory = _ => 3 };
        var command = new Command("probe", "Probe cost (every layer, default readings, NPZ and ONNX) beside OnnxRuntime's forward pass over the same samples, JSON.");
        foreach (var o in new Option[] { workload, samples, replicates, threads, rounds }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int t = result.GetValue(threads);
            CommonOptions.CheckThreads(t);
            if (t == 0) t = Environment.ProcessorCount;
            string name = result.GetValue(workload)!.Trim().ToLowerInvariant();
            if (!MlpBenchmark.Workloads.Any(w => w.Name == name))
                throw new UsageException($"--workload must be one of {string.Join(", ", MlpBenchmark.Workloads.Select(w => w.Name))}; got '{name}'.");
            int n = result.GetValue(samples);
            if (n < 16 || n > 10_000_000) throw new UsageException($"--samples must lie in [16, 10000000]; got {n}.");
            int reps = result.GetValue(replicates);
            if (reps < 0 || reps > 10_000) throw new UsageException($"--replicates must lie in [0, 10000]; got {reps}.");
            int k = result.GetValue(rounds);
            if (k < 1 || k > 100) throw new UsageException($"--rounds must lie in [1, 100]; got {k}.");
            var r = ProbeBenchmark.Run(name, n, t, reps, k, ctx.Cancellation);
            static double Round(double v) => Math.Round(v, 6);
            JsonObject Side(Func<ProbeBenchmarkRound, double> total, Func<ProbeBenchmarkRound, double> pass, Func<ProbeBenchmarkRound, double> forward)
            {
                var ratios = r.Rounds.Select(x => (total(x) - pass(x)) / forward(x)).ToArray();
                double median = ProbeBenchmarkResult.Median(ratios);
                return new JsonObject
                {
                    ["probe_s"] = Round(ProbeBenchmarkResult.Median(r.Rounds.Select(total))),
                    ["network_pass_s"] = Round(ProbeBenchmarkResult.Median(r.Rounds.Select(pass))),
                    ["readings_s"] = Round(ProbeBenchmarkResult.Median(r.Rounds.Select(x => total(x) - pass(x)))),
                    ["onnx_forward_s"] = Round(ProbeBenchmarkResult.Median(r.Rounds.Select(forward))),
                    ["readings_over_onnx_forward"] = Math.Round(median, 3),
                    ["ratio_per_round"] = new JsonArray(ratios.Select(x => (JsonNode?)Math.Round(x, 3)).ToArray()),
                    ["meets_target"] = median < TargetRatio,
                };
            }
            BenchJson.Write(ctx, "probe", MlpBenchmark.KernelPath, new JsonObject
            {
                ["workload"] = r.Workload,
                ["model"] = $"autoencoder {string.Join("-", r.Widths)} (decoder mirrored, tanh hidden, linear output), initialized with seed 1; input: periodic Ising chain N={r.Widths[0]}, K=0.5, h=0",
                ["samples"] = r.Samples,
                ["threads"] = r.Threads,
                ["replicates"] = r.Replicates,
                ["rounds"] = r.Rounds.Count,
                ["readings"] = new JsonArray(r.Readings.Select(x => (JsonNode?)x).ToArray()),
                ["layers"] = new JsonArray(r.Layers.Select(l => (JsonNode?)new JsonObject { ["name"] = l.Name, ["units"] = l.Units }).ToArray()),
                ["onnx_forward_s"] = Round(ProbeBenchmarkResult.Median(r.Rounds.SelectMany(x => new[] { x.ForwardBeforeNpz, x.ForwardBeforeOnnx }))),
                ["engine_forward_s"] = Round(r.EngineForward),
                ["target"] = $"median over rounds of readings_s / onnx_forward_s (the forward pass timed just before each probe) < {TargetRatio}",
                ["npz"] = Side(x => x.Npz, x => x.NpzPass, x => x.ForwardBeforeNpz),
                ["onnx"] = Side(x => x.Onnx, x => x.OnnxPass, x => x.ForwardBeforeOnnx),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
