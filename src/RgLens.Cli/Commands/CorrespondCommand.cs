using System.CommandLine;
using System.Diagnostics;
using RgLens.Cli.Commands.Correspond;
using RgLens.Cli.Infrastructure;
using RgLens.Experiments;
using RgLens.IO;
using RgLens.Nn;
using RgLens.Reporting.Correspondence;
using Spectre.Console;

namespace RgLens.Cli.Commands;

/// <summary>
/// <c>rglens correspond</c>: the correspondence experiment. With no arguments it runs the embedded
/// default (Ising K0 = 0.8, h0 = 0.2, N = 64, both objectives, three seeds, compressions 2–16,
/// controls untrained and null data) and writes run.json and the report into runs/correspond.
/// </summary>
public sealed class CorrespondCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var options = new CorrespondOptions();
        var output = new Option<string>("--out") { Description = "Output folder (run.json, report.html, plots).", DefaultValueFactory = _ => Path.Combine("runs", "correspond") };
        var force = new Option<bool>("--force") { Description = "Write into an existing folder that is not a previous run." };
        var json = new Option<bool>("--json") { Description = "Print the claims as JSON instead of a table." };
        var command = new Command("correspond", "Does the trained network land on the RG fixed point? Sample, run the RG, train (and the controls: untrained, trained on null data), read every layer gauge-fixed, judge each claim. Default input: ising K0 = 0.8, h0 = 0.2, N = 64.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var ctx = context();
            var config = options.Bind(result);
            string folder = RunDirectory.Prepare(result.GetValue(output)!, "correspond", result.GetValue(force));
            using var folderLock = OutputLock.Acquire(folder, "correspond");
            if (result.GetValue(options.KeepNetworks)) config = config with { NetworkFolder = Path.Combine(folder, "networks") };
            var clock = Stopwatch.StartNew();
            var outcome = RunWithProgress(ctx, config);
            var results = CorrespondenceRunFolder.Write(outcome, folder, ctx.CommandLine, clock.Elapsed.TotalSeconds);
            ctx.Publish(); // "results in DIR" only once DIR is there
            if (result.GetValue(json)) CliJson.Write(ctx, "correspond", new System.Text.Json.Nodes.JsonObject
            {
                ["out"] = folder,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                ["claims"] = results["claims"]!.DeepClone(),
            });
            else Summary.Write(ctx, outcome, folder, clock.Elapsed.TotalSeconds);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static CorrespondenceResult RunWithProgress(CliContext ctx, CorrespondenceConfig config)
    {
        if (!ctx.IsTerminal)
        {
            ctx.Error.WriteLine($"rglens correspond: {config.Theta0.Describe()}, N={config.Length}, {config.Objectives.Count} objective(s) x {config.Compressions.Count} compression(s) x {config.Seeds} seed(s); conditions: trained{string.Concat(config.Controls.Select(c => ", " + c))}");
            return CorrespondenceExperiment.Run(config, p => ctx.Error.WriteLine($"  [{p.Completed}/{p.Total}] trained and read {p.Last}"), ctx.Cancellation);
        }
        CorrespondenceResult? outcome = null;
        ctx.Console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                int total = config.Objectives.Count * config.Compressions.Distinct().Count() * config.Seeds;
                var task = progress.AddTask("training and reading networks (with controls)", maxValue: total);
                outcome = CorrespondenceExperiment.Run(config, p =>
                {
                    task.Value = p.Completed;
                    task.Description = Markup.Escape($"networks ({p.Last})");
                }, ctx.Cancellation);
            });
        return outcome!;
    }
}
