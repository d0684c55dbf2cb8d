using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.IO;
using RgLens.Renormalization;
using Spectre.Console;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens rg</c>: the decimation flow θ0 → R_b(θ0) → …, its fixed point and stability.</summary>
public sealed class RgCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var model = new ModelOptions();
        var b = new Option<int>("--b") { Description = "Scale factor b >= 2 (keep every b-th site).", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Number of decimation steps (>= 0).", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("rg", "Real-space RG by decimation: the flow, the stable fixed point it reaches, and the unstable fixed points.");
        model.AddTo(command, withLength: false, withBoundary: false);
        command.Options.Add(b);
        command.Options.Add(steps);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var ctx = context();
            var theta = model.Parameters(result);
            int scale = result.GetValue(b), n = result.GetValue(steps);
            if (scale < 2) throw new UsageException($"--b must be >= 2; got {scale}.");
            if (n < 0) throw new UsageException($"--steps must be >= 0; got {n}.");
            // The flow is kept and printed step by step; every chain reaches its fixed point to
            // double precision within a few hundred steps, so more would only fill memory.
            if (n > 10_000) throw new UsageException($"--steps {n} is more than the 10,000 a flow can use (it reaches its fixed point far sooner); ask for fewer.");
            var flow = RgFlow.Run(theta, scale, n, model.Grid(result));
            var names = theta.Family.Parameters.Select(p => p.Name).ToArray();
            if (result.GetValue(json))
            {
                var steps = new JsonArray();
                foreach (var s in flow.Steps)
                {
                    var o = new JsonObject { ["step"] = s.Step };
                    double[] v = s.Parameters.Values();
                    for (int i = 0; i < names.Length; i++) o[names[i]] = JsonOutput.Number(v[i]);
                    o["g"] = JsonOutput.Number(s.LogScale);
                    o["projection_residual"] = JsonOutput.Number(s.ProjectionResidual);
                    if (s.Grid is not null) o["grid"] = Views.Grid(s.Grid);
                    steps.Add(o);
                }
                CliJson.Write(ctx, "rg", new JsonObject
                {
                    ["model"] = theta.Family.Name,
                    ["b"] = scale,
                    ["flow"] = steps,
                    ["fixed_point"] = Views.FixedPoint(flow.FixedPoint),
                    ["distance_to_fixed_point"] = JsonOutput.Number(flow.DistanceToFixedPoint),
                    ["unstable_fixed_points"] = new JsonArray(flow.UnstableFixedPoints.Select(f => (JsonNode?)Views.FixedPoint(f)).ToArray()),
                });
                return ExitCodes.Ok;
            }
            var table = new Table().Title(Markup.Escape($"RG flow of {theta.Describe()}, b = {scale}"));
            table.AddColumn(new TableColumn("step").RightAligned());
            foreach (var name in names) table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
            table.AddColumn(new TableColumn("g").RightAligned());
            bool projected = flow.Steps.Any(s => s.Grid is not null);
            if (projected)
            {
                table.AddColumn(new TableColumn("KL residual").RightAligned());
                table.AddColumn(new TableColumn("grid").RightAligned());
            }
            foreach (var s in flow.Steps)
            {
                var cells = new List<string> { s.Step.ToString() };
                cells.AddRange(s.Parameters.Values().Select(Views.Cell));
                cells.Add(s.Step == 0 ? "-" : Views.Cell(s.LogScale));
                if (projected)
                {
                    cells.Add(s.Step == 0 ? "-" : Views.Cell(s.ProjectionResidual));
                    cells.Add(s.Grid is null ? "-" : $"{s.Grid.Points} ({Views.Cell(s.Grid.Accuracy)})");
                }
                table.AddRow(cells.ToArray());
            }
            var star = flow.FixedPoint;
            var starCells = new List<string> { "θ*" };
            starCells.AddRange(star.Values.Select(Views.Cell));
            starCells.Add("");
            if (projected) starCells.AddRange(["", ""]);
            table.AddRow(starCells.ToArray());
            ctx.Console.Write(table);
            ctx.Output.WriteLine($"fixed point θ*: {star.Classification}");
            ctx.Output.WriteLine($"distance of step {n} from θ*: {Views.Cell(flow.DistanceToFixedPoint)}");
            foreach (var u in flow.UnstableFixedPoints)
                ctx.Output.WriteLine($"unstable fixed point ({string.Join(", ", u.Names.Zip(u.Values, (a, v) => $"{a}={Views.Cell(v)}"))}): {u.Classification}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
