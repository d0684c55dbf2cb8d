using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.Exact;
using RgLens.IO;
using RgLens.Models;
using RgLens.Sampling;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench sample</c>: exact sampling throughput, for open and periodic chains, on one
/// thread and on all cores. Ising (the default) reports spins per second on the peer's workload
/// (a NumPy transfer-matrix sampler: N = 1024, K = 0.7, h = 0, batches of 4096);
/// other families (<c>--model gaussian</c>, <c>--model phi4</c>, …) report samples per second
/// beside bench/peers/numpy_gaussian_sampler_bench.py and bench/peers/numpy_phi4_sampler_bench.py.
/// </summary>
public sealed class BenchSampleCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var model = new ModelOptions(defaultLength: 1024);
        var batch = new Option<int>("--batch") { Description = "Samples per call (the peer uses 4096).", DefaultValueFactory = _ => 4096 };
        var seconds = CommonOptions.Seconds();
        var threads = new Option<int>("--threads") { Description = "Threads to measure (0: both 1 and all cores)." , DefaultValueFactory = _ => 0 };
        var command = new Command("sample", "Exact sampling throughput (Ising: spins/s; other families: samples/s), JSON.");
        model.AddTo(command, withBoundary: false);
        foreach (var o in new Option[] { batch, seconds, threads }) command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            int length = result.GetValue(model.Length), rows = result.GetValue(batch), t = result.GetValue(threads);
            double secs = CommonOptions.SecondsValue(result, seconds);
            if (length < 2) throw new UsageException($"--N must be >= 2; got {length}.");
            if (rows <= 0) throw new UsageException($"--batch must be > 0; got {rows}.");
            CommonOptions.CheckThreads(t);
            var parameters = model.Parameters(result);
            int[] threadCounts = t > 0 ? [t] : Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
            if (parameters is not IsingParameters theta)
            {
                BenchJson.Write(ctx, "sample", null, FamilyBenchmark(parameters, length, rows, secs, threadCounts, model.Grid(result), ctx.Cancellation));
                return ExitCodes.Ok;
            }
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
            BenchJson.Write(ctx, "sample", IsingSampler.KernelPath, new JsonObject
            {
                ["model"] = "ising",
                ["N"] = length,
                ["K"] = theta.Coupling,
                ["h"] = theta.Field,
                ["batch"] = rows,
                ["results"] = results,
                ["check_mean_bond"] = Math.Round(meanBond, 4),
                ["tanh_K"] = Math.Round(Math.Tanh(theta.Coupling), 4),
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Samples per second of a non-Ising family, with a check of the sampled mean and variance against the exact solution.</summary>
    private static JsonObject FamilyBenchmark(ChainParameters theta, int length, int rows, double secs, int[] threadCounts, GridOptions grid, CancellationToken cancellation)
    {
        var results = new JsonArray();
        var checks = new JsonObject();
        foreach (var boundary in new[] { Boundary.Open, Boundary.Periodic })
        {
            var model = new ChainModel(theta, length, boundary).Validated();
            var buffer = new SampleMatrix<double>(rows, length);
            foreach (int threadCount in threadCounts)
            {
                var warm = new SampleMatrix<double>(Math.Min(rows, ChainSampler.RowsPerStream), length);
                ChainSampler.SampleInto(model, 0, 0, warm, threadCount, cancellation, grid); // JIT and plan
                long calls = 0;
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < secs)
                {
                    ChainSampler.SampleInto(model, (ulong)calls + 1, 0, buffer, threadCount, cancellation, grid);
                    calls++;
                }
                double elapsed = clock.Elapsed.TotalSeconds;
                results.Add(new JsonObject
                {
                    ["boundary"] = boundary.ToString().ToLowerInvariant(),
                    ["threads"] = threadCount,
                    ["samples_per_s"] = Math.Round(calls * (double)rows / elapsed, 1),
                    ["values_per_s"] = Math.Round(calls * (double)rows * length / elapsed),
                });
            }
            var exact = ExactSolver.Solve(model, grid).Finite;
            double mean = buffer.Data.Average(), second = buffer.Data.Average(v => v * v);
            checks[boundary.ToString().ToLowerInvariant()] = new JsonObject
            {
                ["sample_mean"] = Math.Round(mean, 4),
                ["exact_mean"] = Math.Round(exact.Mean, 4),
                ["sample_second_moment"] = Math.Round(second, 4),
                ["exact_second_moment"] = Math.Round(exact.SecondMoment, 4),
            };
        }
        return new JsonObject
        {
            ["model"] = theta.Family.Name,
            ["parameters"] = Views.Parameters(theta),
            ["N"] = length,
            ["batch"] = rows,
            ["sampler"] = ChainSampler.Describe(theta.Family),
            ["results"] = results,
            ["check"] = checks,
        };
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
