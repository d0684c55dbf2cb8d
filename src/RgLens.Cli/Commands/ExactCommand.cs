using System.CommandLine;
using System.Text.Json.Nodes;
using RgLens.Cli.Infrastructure;
using RgLens.IO;
using RgLens.Exact;
using Spectre.Console;

namespace RgLens.Cli.Commands;

/// <summary><c>rglens exact</c>: ln Z, free energy, moments, correlations and ξ from the transfer kernel.</summary>
public sealed class ExactCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var model = new ModelOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("exact", "Exact thermodynamics of a chain (finite N and infinite chain) from its transfer kernel.");
        model.AddTo(command);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var ctx = context();
            var m = model.Bind(result);
            var solution = ExactSolver.Solve(m, model.Grid(result));
            if (result.GetValue(json))
            {
                var view = new JsonObject
                {
                    ["model"] = m.Family.Name,
                    ["parameters"] = Views.Parameters(m.Parameters),
                    ["N"] = m.Length,
                    ["boundary"] = m.Boundary.ToString().ToLowerInvariant(),
                    ["finite"] = Views.Observables(solution.Finite, m.Family),
                    ["infinite"] = Views.Observables(solution.Infinite, m.Family),
                };
                if (solution.Grid is not null) view["grid"] = Views.Grid(solution.Grid);
                CliJson.Write(ctx, "exact", view);
                return ExitCodes.Ok;
            }
            var table = new Table().Title(Markup.Escape($"exact solution: {m.Describe()}"));
            table.AddColumn("quantity");
            table.AddColumn(new TableColumn($"N = {m.Length}").RightAligned());
            table.AddColumn(new TableColumn("N = ∞").RightAligned());
            var f = solution.Finite;
            var i = solution.Infinite;
            table.AddRow("ln Z", Views.Cell(f.LogPartition ?? double.NaN), "-");
            table.AddRow("ln Z / N", Views.Cell(f.LogPartitionPerSite), Views.Cell(i.LogPartitionPerSite));
            table.AddRow("free energy per site", Views.Cell(f.FreeEnergyPerSite), Views.Cell(i.FreeEnergyPerSite));
            table.AddRow(Views.MeanName(m.Family), Views.Cell(f.Mean), Views.Cell(i.Mean));
            table.AddRow(Markup.Escape("<x^2>"), Views.Cell(f.SecondMoment), Views.Cell(i.SecondMoment));
            table.AddRow(Markup.Escape("<x_i x_i+1>"), Views.Cell(f.NearestNeighbour), Views.Cell(i.NearestNeighbour));
            table.AddRow("correlation length", Views.Cell(f.CorrelationLength), Views.Cell(i.CorrelationLength));
            ctx.Console.Write(table);
            if (solution.Grid is not null) ctx.Output.WriteLine(Views.GridLine(solution.Grid));
            return ExitCodes.Ok;
        });
        return command;
    }
}
