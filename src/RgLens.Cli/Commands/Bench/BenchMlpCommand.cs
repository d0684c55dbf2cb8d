using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench mlp</c>: training throughput on the reference MLP workloads (see
/// <see cref="MlpBenchmark"/> and docs/train.md, "rglens bench mlp"), as JSON.
/// </summary>
public sealed class BenchMlpCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var workload = new Option<string>("--workload") { Description = "small, medium, large or all.", DefaultValueFactory = _ => "all" };
        var threads = new Option<int>("--threads") { Description = "Engine threads (0: both 1 and all cores).", DefaultValueFactory = _ => 0 };
        var seconds = CommonOptions.Seconds();
        var kernel = new Option<string>("--kernel") { Description = $"Kernel path: auto (the fastest) or one of {string.Join(", ", MlpBenchmark.SupportedPaths)}.", DefaultValueFactory = _ => "auto" };
        var command = new Command("mlp", "MLP training throughput (samples/s, GFLOP/s), JSON.");
        foreach (var o in new Option[] { workload, threads, seconds, kernel }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int t = result.GetValue(threads);
            double secs = CommonOptions.SecondsValue(result, seconds);
            CommonOptions.CheckThreads(t);
            string chosen = result.GetValue(workload)!;
            if (chosen != "all" && MlpBenchmark.Workloads.All(w => w.Name != chosen))
                throw new UsageException($"unknown --workload '{chosen}'; expected one of {string.Join(", ", MlpBenchmark.Workloads.Select(w => w.Name))} or all.");
            var names = chosen == "all" ? MlpBenchmark.Workloads.Select(w => w.Name).ToArray() : [chosen];
            string? path = result.GetValue(kernel) is "auto" or null ? null : result.GetValue(kernel);
            int[] threadCounts = t > 0 ? [t] : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            var results = new JsonArray();
            foreach (string name in names)
                foreach (int threadCount in threadCounts)
                {
                    var r = MlpBenchmark.Run(name, threadCount, secs, path, ctx.Cancellation);
                    results.Add(new JsonObject
                    {
                        ["workload"] = r.Workload,
                        ["widths"] = new JsonArray(r.Widths.Select(w => (JsonNode?)w).ToArray()),
                        ["batch"] = r.Batch,
                        ["threads"] = r.Threads,
                        ["samples_per_s"] = Math.Round(r.SamplesPerSecond),
                        ["gflops"] = Math.Round(r.Gflops, 1),
                        ["steps"] = r.Steps,
                        ["final_loss"] = Math.Round(r.FinalLoss, 5),
                    });
                }
            BenchJson.Write(ctx, "mlp", path ?? MlpBenchmark.KernelPath, new JsonObject
            {
                ["model"] = "autoencoder, tanh, MSE, Adam lr 1e-3; one step = forward + backward + update",
                ["results"] = results,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
