using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.IO;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench sample</c>: exact Ising sampling throughput in spins per second, on the peer's
/// workload (../shared/peers/numpy_ising_sampler_bench.py: N = 1024, K = 0.7, h = 0, batches of
/// 4096 samples), for open and periodic chains, on one thread and on all cores.
/// </summary>
public sealed class BenchSampleCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var n = new Option<int>("--N") { Description = "Sites per sample.", DefaultValueFactory = _ => 1024 };
        var k = new Option<double>("--K") { Description = "Coupling.", DefaultValueFactory = _ => 0.7 };
        var h = new Option<double>("--h") { Description = "Field.", DefaultValueFactory = _ => 0.0 };
        var batch = new Option<int>("--batch") { Description = "Samples per call (the peer uses 4096).", DefaultValueFactory = _ => 4096 };
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per configuration.", DefaultValueFactory = _ => 3.0 };
        var threads = new Option<int>("--threads") { Description = "Threads to measure (0: both 1 and all cores)." , DefaultValueFactory = _ => 0 };
        var command = new Command("sample", "Exact Ising sampling throughput (spins/s), JSON.");
        foreach (var o in new Option[] { n, k, h, batch, seconds, threads }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int length = result.GetValue(n), rows = result.GetValue(batch), t = result.GetValue(threads);
            double secs = result.GetValue(seconds);
            if (length < 2) throw new UsageException($"--N must be >= 2; got {length}.");
            if (rows <= 0) throw new UsageException($"--batch must be > 0; got {rows}.");
            if (!(secs > 0)) throw new UsageException($"--seconds must be > 0; got {secs}.");
            if (t < 0) throw new UsageException($"--threads must be >= 0; got {t}.");
            var theta = new IsingParameters(result.GetValue(k), result.GetValue(h));
            theta.Validate();
            int[] threadCounts = t > 0 ? [t] : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            var results = new JsonArray();
            double meanBond = double.NaN;
            foreach (var boundary in new[] { Boundary.Open, Boundary.Periodic })
            {
                var model = new ChainModel(theta, length, boundary);
                var buffer = new SampleMatrix<sbyte>(rows, length);
                foreach (int threadCount in threadCounts)
                {
                    IsingSampler.SampleInto(model, 0, 0, buffer, threadCount); // warm-up and JIT
                    long calls = 0;
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed.TotalSeconds < secs)
                    {
                        IsingSampler.SampleInto(model, (ulong)calls + 1, 0, buffer, threadCount, ctx.Cancellation);
                        calls++;
                    }
                    double elapsed = clock.Elapsed.TotalSeconds;
                    results.Add(new JsonObject
                    {
                        ["boundary"] = boundary.ToString().ToLowerInvariant(),
                        ["threads"] = threadCount,
                        ["spins_per_s"] = Math.Round(calls * (double)rows * length / elapsed),
                    });
                }
                if (boundary == Boundary.Open) meanBond = MeanBond(buffer);
            }
            JsonOutput.Write(ctx.Output, new JsonObject
            {
                ["benchmark"] = "sample",
                ["tool"] = "rglens",
                ["version"] = RunManifest.Version,
                ["model"] = "ising",
                ["N"] = length,
                ["K"] = theta.Coupling,
                ["h"] = theta.Field,
                ["batch"] = rows,
                ["kernel_path"] = IsingSampler.KernelPath,
                ["results"] = results,
                ["check_mean_bond"] = Math.Round(meanBond, 4),
                ["tanh_K"] = Math.Round(Math.Tanh(theta.Coupling), 4),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static double MeanBond(SampleMatrix<sbyte> s)
    {
        long sum = 0, count = 0;
        for (int r = 0; r < s.Rows; r++)
        {
            var row = s.Row(r);
            for (int i = 0; i + 1 < row.Length; i++) sum += row[i] * row[i + 1];
            count += row.Length - 1;
        }
        return (double)sum / count;
    }
}
