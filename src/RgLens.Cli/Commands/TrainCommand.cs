using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RgLens.Cli.Commands.Train;
using RgLens.Cli.Infrastructure;
using RgLens.Data;
using RgLens.IO;
using RgLens.Nn;

namespace RgLens.Cli.Commands;

/// <summary>
/// <c>rglens train</c>: trains a fully connected network (docs/theory.md, "Networks and objectives") on sampled data and
/// writes the network, its loss curve (CSV and PNG), a resumable checkpoint and a manifest.
/// </summary>
public sealed class TrainCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var o = new TrainOptions();
        var command = new Command("train", "Train a fully connected network (autoencoder or supervised) with early stopping.");
        foreach (var option in o.All) command.Options.Add(option);
        command.SetAction(r => Run(context(), o, r));
        return command;
    }

    private static int Run(CliContext ctx, TrainOptions o, ParseResult r)
    {
        var clock = Stopwatch.StartNew();
        string dataPath = r.GetValue(o.Data)!, folder = r.GetValue(o.Out)!;
        var objective = NnNames.ParseObjective(r.GetValue(o.Objective)!);
        var widths = o.EncoderWidths(r);
        var options = o.Trainer(r);
        options.Validate();
        o.CheckNames(r);
        OutputFolder.Check(folder, "--out");
        var data = SampleFiles.LoadSingle(dataPath);
        if (widths[0] != data.Columns)
            throw new UsageException($"--widths starts with {widths[0]} but '{dataPath}' has {data.Columns} columns per sample; the first width is the input width.");
        SampleMatrix<float>? targets = null;
        string? targetsPath = r.GetValue(o.Targets);
        if (objective == Objective.Supervised)
        {
            if (targetsPath is null) throw new UsageException("--objective supervised needs --targets (samples x d, the generating parameters).");
            targets = SampleFiles.Load<float>(targetsPath, ValueRule.FiniteSingle);
            if (targets.Rows != data.Rows) throw new UsageException($"'{targetsPath}' has {targets.Rows} rows but '{dataPath}' has {data.Rows} samples.");
        }
        else if (targetsPath is not null)
        {
            throw new UsageException("--targets applies to --objective supervised; an autoencoder reconstructs its input.");
        }
        var spec = o.Spec(r, targets?.Columns ?? 0);
        TrainingFootprint.Require(spec, options.BatchSize, options.Threads,
            string.Create(CultureInfo.InvariantCulture, $"--widths {r.GetValue(o.Widths)} with --batch {options.BatchSize} on {options.Threads} threads"));
        string? initFrom = r.GetValue(o.InitFrom);
        Network? initial = initFrom is null ? null : Network.Load(initFrom);
        if (initial is not null && !initial.Spec.Equals(spec))
            throw new UsageException($"'{initFrom}' holds a {initial.Spec.Describe()} network; the options describe {spec.Describe()}.");

        OutputFolder.Create(folder, "--out");
        using var folderLock = OutputLock.Acquire(folder, "train");
        string checkpoint = Path.Combine(folder, "checkpoint.npz");
        bool resume = r.GetValue(o.Resume);
        if (resume && !File.Exists(checkpoint)) throw new UsageException($"--resume: there is no checkpoint at '{checkpoint}' to continue from.");
        var snapshotFiles = new JsonArray();
        long[] snapshotSteps = o.Snapshots(r);
        if (snapshotSteps.Length > 0) OutputFolder.CreateTracked(Path.Combine(folder, "snapshots"));
        options = options with
        {
            CheckpointPath = checkpoint,
            SnapshotSteps = snapshotSteps,
            OnSnapshot = s =>
            {
                string name = Path.Combine("snapshots", string.Create(CultureInfo.InvariantCulture, $"step-{s.Step}.npz"));
                s.Network.Save(Path.Combine(folder, name));
                snapshotFiles.Add(name);
            },
        };
        var manifest = new RunManifest("train", ctx.CommandLine, options.Seed);
        Describe(manifest, spec, options, dataPath, targetsPath, data, resume, initFrom);
        manifest.AddTiming("load", clock.Elapsed.TotalSeconds);

        var view = new TrainProgressView(ctx);
        var trainClock = Stopwatch.StartNew();
        var result = view.Run(progress =>
        {
            var withProgress = options with { Progress = progress };
            return resume ? Trainer.Resume(checkpoint, spec, data, targets, withProgress, ctx.Cancellation)
                : initial is not null ? Trainer.Train(initial, data, targets, withProgress, ctx.Cancellation)
                : Trainer.Train(spec, data, targets, withProgress, ctx.Cancellation);
        });
        double seconds = trainClock.Elapsed.TotalSeconds;
        manifest.AddTiming("train", seconds);
        foreach (var (key, value) in TrainOutputs.Write(folder, result, r.GetValue(o.Onnx))) manifest.Results[key] = value?.DeepClone();
        manifest.Results["files"]!["checkpoint"] = "checkpoint.npz";
        manifest.Results["files"]!["snapshots"] = snapshotFiles;
        manifest.Write(Path.Combine(folder, "run.json"));

        if (result.StopReason == StopReason.Diverged)
        {
            // The output set of a diverged run is complete (the last good network, its loss curve
            // and manifest): make it visible before reporting the divergence as an error.
            OutputSet.Current?.Commit();
            throw new RgLensException($"{result.Message}; the last good network is in {Path.Combine(folder, "network.npz")} and the last good checkpoint in {checkpoint}.");
        }
        ctx.Publish();
        Summarize(ctx, r.GetValue(o.Json), folder, result, seconds);
        return ExitCodes.Ok;
    }

    private static void Describe(RunManifest m, NetworkSpec spec, TrainerOptions options, string dataPath, string? targetsPath,
        SampleMatrix<float> data, bool resume, string? initFrom)
    {
        var p = m.Parameters;
        p["data"] = dataPath;
        p["targets"] = targetsPath;
        p["samples"] = data.Rows;
        p["columns"] = data.Columns;
        p["network"] = spec.Describe();
        p["widths"] = new JsonArray(spec.Widths.Select(w => (JsonNode?)w).ToArray());
        p["feature_layer"] = spec.FeatureLayer;
        p["training"] = Trainer.Describe(options);
        p["resumed"] = resume;
        p["init_from"] = initFrom;
    }

    private static void Summarize(CliContext ctx, bool json, string folder, TrainingResult result, double seconds)
    {
        var summary = new JsonObject
        {
            ["out"] = folder,
            ["network"] = Path.Combine(folder, "network.npz"),
            ["stop_reason"] = TrainOutputs.StopReasonName(result.StopReason),
            ["best_epoch"] = result.BestEpoch,
            ["best_loss"] = JsonOutput.Number(result.BestLoss),
            ["epochs_run"] = result.History.Count,
            ["steps"] = result.Steps,
            ["seconds"] = Math.Round(seconds, 3),
            ["kernel_path"] = result.KernelPath,
        };
        if (json)
        {
            CliJson.Write(ctx, "train", summary);
            return;
        }
        var c = CultureInfo.InvariantCulture;
        string how = result.StopReason == StopReason.EarlyStopped ? "stopped early" : "completed";
        ctx.Output.WriteLine(string.Create(c, $"{how} after {result.History.Count} epochs ({result.Steps} steps, {seconds:F1} s); best loss {result.BestLoss:G5} at epoch {result.BestEpoch}; wrote {folder}/network.npz, loss.csv, loss.png, run.json"));
    }
}
