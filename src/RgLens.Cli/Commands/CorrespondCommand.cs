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
        var command = new Command("correspond", "Does the trained network land on the RG fixed point? Sample, run the RG, train, read every layer, compare. Default input: ising K0 = 0.8, h0 = 0.2, N = 64 (the parameter defaults listed below are the families' own).");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var ctx = context();
            var config = options.Bind(result);
            string folder = RunDirectory.Prepare(result.GetValue(output)!, "correspond", result.GetValue(force));
            var manifest = new RunManifest("correspond", ctx.CommandLine, config.Seed);
            manifest.Parameters["config"] = CorrespondenceJson.Config(config);
            var clock = Stopwatch.StartNew();
            var outcome = RunWithProgress(ctx, config);
            manifest.AddTiming("experiment", clock.Elapsed.TotalSeconds);
            foreach (var (stage, seconds) in outcome.Timings) manifest.AddTiming(stage, seconds);
            var reportClock = Stopwatch.StartNew();
            var files = CorrespondenceReport.Write(outcome, folder, ctx.CommandLine);
            manifest.AddTiming("report", reportClock.Elapsed.TotalSeconds);
            var results = CorrespondenceJson.Result(outcome);
            manifest.Results["files"] = new System.Text.Json.Nodes.JsonArray(files.Prepend("run.json").Select(f => (System.Text.Json.Nodes.JsonNode?)f).ToArray());
            foreach (var (key, value) in results.ToArray())
            {
                results.Remove(key);
                manifest.Results[key] = value;
            }
            manifest.Write(Path.Combine(folder, "run.json"));
            if (result.GetValue(json)) JsonOutput.Write(ctx.Output, new System.Text.Json.Nodes.JsonObject
            {
                ["out"] = folder,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                ["claims"] = manifest.Results["claims"]!.DeepClone(),
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
            ctx.Error.WriteLine($"rglens correspond: {config.Theta0.Describe()}, N={config.Length}, {config.Objectives.Count} objective(s) x {config.Compressions.Count} compression(s) x {config.Seeds} seed(s)");
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
