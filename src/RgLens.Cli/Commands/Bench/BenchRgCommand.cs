using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.IO;
using RgLens.Renormalization;

namespace RgLens.Cli.Commands.Bench;

/// <summary>
/// <c>rglens bench rg</c>: the time of one decimation step R_b(θ) (kernel power, M-projection and
/// KL residual) on a grid of a given size; the reference workload is one step on a 512-point grid
/// (target: under 50 ms).
/// </summary>
public sealed class BenchRgCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var model = new ModelOptions();
        var b = new Option<int>("--b") { Description = "Scale factor b >= 2.", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "Timed steps (after one warm-up step).", DefaultValueFactory = _ => 10 };
        var command = new Command("rg", "Time of one RG step on a grid (use --grid 512 for the reference workload), JSON.");
        model.AddTo(command, withLength: false, withBoundary: false);
        command.Options.Add(b);
        command.Options.Add(repeats);
        command.SetAction(result =>
        {
            var ctx = context();
            var theta = model.Parameters(result);
            var grid = model.Grid(result) with { PreferNumeric = true };
            int scale = result.GetValue(b), n = result.GetValue(repeats);
            if (scale < 2) throw new UsageException($"--b must be >= 2; got {scale}.");
            if (n < 1) throw new UsageException($"--repeats must be >= 1; got {n}.");
            var map = DecimationMap.For(theta.Family, grid);
            var step = map.Step(theta, scale); // warm-up and JIT
            var times = new List<double>();
            for (int i = 0; i < n; i++)
            {
                ctx.Cancellation.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                step = map.Step(theta, scale);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            BenchJson.Write(ctx, "rg", null, new JsonObject
            {
                ["model"] = theta.Family.Name,
                ["parameters"] = Views.Parameters(theta),
                ["b"] = scale,
                ["grid_points"] = step.Grid?.Points,
                ["median_ms_per_step"] = Math.Round(times[times.Count / 2], 2),
                ["min_ms_per_step"] = Math.Round(times[0], 2),
                ["projection_residual"] = JsonOutput.Number(step.ProjectionResidual),
                ["next"] = Views.Parameters(step.Parameters),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
