using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench conv</c>: training throughput on the reference 1-D convolutional workload of
/// bench/peers/torch_conv_bench.py (see <see cref="ConvBenchmark"/>), as JSON.
/// </summary>
public sealed class BenchConvCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var threads = new Option<int>("--threads") { Description = "Engine threads (0: both 1 and all cores).", DefaultValueFactory = _ => 0 };
        var seconds = CommonOptions.Seconds();
        var command = new Command("conv", "1-D convolutional autoencoder training throughput (samples/s, GFLOP/s), JSON.");
        foreach (var o in new Option[] { threads, seconds }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int t = result.GetValue(threads);
            double secs = CommonOptions.SecondsValue(result, seconds);
            CommonOptions.CheckThreads(t);
            int[] threadCounts = t > 0 ? [t] : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            var results = new JsonArray();
            foreach (int threadCount in threadCounts)
            {
                var r = ConvBenchmark.Run(threadCount, secs, ctx.Cancellation);
                results.Add(new JsonObject
                {
                    ["workload"] = r.Workload,
                    ["channels"] = new JsonArray(r.Widths.Skip(1).Select(w => (JsonNode?)w).ToArray()),
                    ["sites"] = ConvBenchmark.Sites,
                    ["batch"] = r.Batch,
                    ["threads"] = r.Threads,
                    ["samples_per_s"] = Math.Round(r.SamplesPerSecond),
                    ["gflops"] = Math.Round(r.Gflops, 2),
                    ["steps"] = r.Steps,
                    ["final_loss"] = Math.Round(r.FinalLoss, 5),
                });
            }
            BenchJson.Write(ctx, "conv", MlpBenchmark.KernelPath, new JsonObject
            {
                ["model"] = "periodic chain N=256; encoder 4 x conv1d k3 s2 circular 1-8-16-32-32 tanh; decoder 4 x (nearest upsample 2, conv1d k3 circular) 32-32-16-8-1; MSE, Adam lr 1e-3, batch 256; one step = forward + backward + update",
                ["results"] = results,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
