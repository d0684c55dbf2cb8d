using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using RgLens.Cli.Commands.Correspond;
using RgLens.Cli.Infrastructure;
using RgLens.IO;
using RgLens.Reporting.Sweeps;
using RgLens.Sweeps;
using Spectre.Console;

namespace RgLens.Cli.Commands;

/// <summary>
/// <c>rglens sweep</c>: the correspondence over a grid of inputs and architectures. Each cell is
/// one <c>correspond</c> run (every correspond option passes through) with its own seed; cells run
/// locally in parallel (resumable) or as a Slurm job array; the claims of all cells are merged into
/// results.csv / results.parquet with sweep.json and a report.
/// </summary>
public sealed class SweepCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(Func<CliContext> context)
    {
        var options = new CorrespondOptions();
        var axis = new Option<string[]>("--axis") { Description = "An axis NAME=v1,v2,… or NAME=start:stop:count (repeatable). Names: any parameter of the --model family, N, b (compression), objective, seed.", AllowMultipleArgumentsPerToken = false };
        var grid = new Option<string?>("--grid-file") { Description = "A JSON file {\"axes\": {\"K\": [0.3, 0.8], \"b\": \"2,4\", \"h\": \"0:0.4:3\"}} (see examples/sweep-grid.json), combined with --axis. (Not --grid: that is the grid size of the continuous families.)" };
        var executor = new Option<string>("--executor") { Description = "Where the cells run: local (all cores, resumable) or slurm (a job array through sbatch).", DefaultValueFactory = _ => "local" };
        var output = new Option<string>("--out") { Description = "Sweep folder (cells/, results.csv, results.parquet, sweep.json, report.html).", DefaultValueFactory = _ => Path.Combine("runs", "sweep") };
        var force = new Option<bool>("--force") { Description = "Use a folder that holds something else (a different sweep's cells are discarded)." };
        var json = new Option<bool>("--json") { Description = "Print sweep.json instead of a summary." };
        var maxCells = new Option<int>("--max-cells") { Description = "Refuse grids with more cells than this.", DefaultValueFactory = _ => 10_000 };
        var cell = new Option<int?>("--cell") { Description = "Run only this cell (0-based) into an existing sweep folder: what each Slurm array task does." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Slurm: print the sbatch script and submit nothing." };
        var resume = new Option<bool>("--resume") { Description = "Continue the sweep in --out (it must hold this sweep): only missing or failed cells run or are resubmitted." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var time = new Option<string?>("--time") { Description = "Slurm time limit per array task (e.g. 00:30:00)." };
        var memory = new Option<string?>("--mem") { Description = "Slurm memory per array task (e.g. 2G)." };
        var throttle = new Option<int>("--throttle") { Description = "Slurm: array tasks running at once (the %N of --array).", DefaultValueFactory = _ => 8 };
        var perTask = new Option<int>("--cells-per-task") { Description = "Slurm: cells run one after another by each array task.", DefaultValueFactory = _ => 1 };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Slurm: CPUs (threads) per array task.", DefaultValueFactory = _ => 1 };
        var command = new Command("sweep", "The correspondence over a grid: each cell one correspond run with its own seed, run locally (resumable) or on Slurm; claims merged into results.csv/.parquet and a report.");
        options.AddTo(command);
        foreach (var o in new Option[] { axis, grid, executor, output, force, json, maxCells, cell, dryRun, resume, partition, time, memory, throttle, perTask, cpus })
            command.Options.Add(o);
        command.SetAction(result =>
        {
            var ctx = context();
            var wall = Stopwatch.StartNew();
            var baseConfig = options.Bind(result);
            var axes = new List<SweepAxis>();
            if (result.GetValue(grid) is { } file) axes.AddRange(GridFile(file));
            foreach (string text in result.GetValue(axis) ?? []) axes.Add(SweepAxis.Parse(text));
            if (result.GetValue(maxCells) < 1) throw new UsageException($"--max-cells must be >= 1; got {result.GetValue(maxCells)}.");
            var cells = SweepGrid.Cells(baseConfig, axes, result.GetValue(maxCells));
            string exec = result.GetValue(executor)!.Trim().ToLowerInvariant();
            if (exec is not ("local" or "slurm")) throw new UsageException($"unknown executor '{exec}'; executors: local, slurm.");
            string outPath = result.GetValue(output)!;

            if (result.GetValue(cell) is int index)
            {
                if (index < 0 || index >= cells.Count) throw new UsageException($"--cell {index} is out of range: the grid has {cells.Count} cells (0 … {cells.Count - 1}).");
                var existing = SweepFolder.Existing(outPath);
                string spec = Path.Combine(existing.Path, "sweep-spec.json");
                if (!File.Exists(spec) || JsonNode.Parse(File.ReadAllText(spec))?["fingerprint"]?.GetValue<string>() != SweepFolder.Fingerprint(cells))
                    throw new UsageException($"--out '{outPath}' does not hold this sweep (run the sweep without --cell first).");
                var r = SweepCellRunner.Run(cells[index], existing, baseConfig.Threads, ctx.Cancellation);
                ctx.Error.WriteLine($"cell {index} ({cells[index].Describe()}): {r.Status}{(r.Error.Length > 0 ? ": " + r.Error : "")} in {r.Seconds:F1} s");
                return ExitCodes.Ok;
            }

            if (result.GetValue(resume) && !File.Exists(Path.Combine(Path.GetFullPath(outPath), "sweep-spec.json")))
                throw new UsageException($"--resume: '{outPath}' holds no sweep to resume.");
            var slurm = new SlurmOptions(result.GetValue(partition), result.GetValue(time), result.GetValue(memory), result.GetValue(throttle), result.GetValue(perTask), result.GetValue(cpus));
            if (exec == "slurm")
            {
                slurm.Validate();
                if (!result.GetValue(dryRun) && SlurmExecutor.Find("sbatch") is null)
                    throw new UsageException("--executor slurm needs sbatch on the PATH (is this a Slurm login node?).");
            }
            var folder = SweepFolder.Open(outPath, baseConfig, axes, cells, result.GetValue(force));
            using var folderLock = OutputLock.Acquire(folder.Path, "sweep");
            double setup = wall.Elapsed.TotalSeconds;
            string? job = null;
            double overhead = 0;
            var runClock = Stopwatch.StartNew();
            if (exec == "slurm")
            {
                var pending = cells.Where(c => !folder.IsDone(c)).Select(c => c.Index).ToArray();
                if (pending.Length > 0)
                {
                    var script = SlurmExecutor.Script(pending, folder.Path, TaskCommand(ctx, folder.Path, result.GetValue(cpus)), slurm, Environment.CurrentDirectory);
                    if (result.GetValue(dryRun))
                    {
                        ctx.Output.Write(script);
                        return ExitCodes.Ok;
                    }
                    job = SlurmExecutor.SubmitAndFollow(script, folder.Path, slurm, ctx.Error.WriteLine, ctx.Cancellation);
                }
                else if (result.GetValue(dryRun))
                {
                    ctx.Error.WriteLine("every cell has finished; nothing to submit.");
                    return ExitCodes.Ok;
                }
            }
            else
            {
                (_, overhead) = RunLocal(ctx, cells, folder, baseConfig.Threads);
            }
            var mergeClock = Stopwatch.StartNew();
            var merged = SweepSummary.Merge(folder, axes, cells, exec, job, wall.Elapsed.TotalSeconds, 0);
            var files = SweepReport.Write(merged, folder.Path, ctx.CommandLine);
            // Machinery: everything of this invocation that is not a cell's own experiment
            // (grid and folder set-up, cell bookkeeping, merge, tables, report).
            double machinery = setup + overhead + mergeClock.Elapsed.TotalSeconds;
            merged = merged with { WallSeconds = wall.Elapsed.TotalSeconds, MachinerySeconds = exec == "local" ? machinery : double.NaN };
            var sweepJson = merged.Json();
            sweepJson["files"] = new JsonArray(new[] { "results.csv", "results.parquet", "sweep.json" }.Concat(files).Select(f => (JsonNode?)f).ToArray());
            AtomicFile.WriteAllText(Path.Combine(folder.Path, "sweep.json"), JsonOutput.Serialize(sweepJson) + "\n");
            if (result.GetValue(json)) CliJson.Write(ctx, "sweep", sweepJson);
            else
            {
                ctx.Output.WriteLine($"{merged.Cells.Count} cells: {merged.Ok} finished, {merged.Failed} failed, {merged.Missing} missing; {merged.Rows.Count} rows in {Path.Combine(folder.Path, "results.csv")} (and .parquet); report {Path.Combine(folder.Path, "report.html")}");
                foreach (var g in merged.Rows.Where(r => r.Primary && r.Status == "ok").GroupBy(r => r.Claim))
                    ctx.Output.WriteLine($"  {g.Key}: " + string.Join(", ", g.GroupBy(r => r.Verdict).OrderBy(v => v.Key).Select(v => $"{v.Count()} {v.Key.Replace('_', ' ')}")));
                foreach (var (c, r) in merged.Cells.Zip(merged.Results).Where(p => p.Second is { Status: not "ok" }))
                    ctx.Output.WriteLine($"  cell {c.Index} ({c.Describe()}) failed: {r!.Error}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (double CellSeconds, double OverheadSeconds) RunLocal(CliContext ctx, IReadOnlyList<SweepCell> cells, SweepFolder folder, int threads)
    {
        if (!ctx.IsTerminal)
            return LocalExecutor.Run(cells, folder, threads, p => ctx.Error.WriteLine($"  cells done {p.Done}/{p.Done + p.Remaining}, failed {p.Failed}{(p.Eta is { } eta ? $", about {eta.TotalSeconds:F0} s left" : "")}"), ctx.Cancellation);
        (double, double) inside = (0, 0);
        ctx.Console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("sweep cells", maxValue: cells.Count);
                inside = LocalExecutor.Run(cells, folder, threads, p =>
                {
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"cells: {p.Done} done, {p.Failed} failed, {p.Remaining} remaining");
                }, ctx.Cancellation);
            });
        return inside;
    }

    /// <summary>The command an array task runs: this rglens, the same options, one cell, the absolute folder.</summary>
    private static IReadOnlyList<string> TaskCommand(CliContext ctx, string folder, int cpus)
    {
        var prefix = new List<string>();
        string process = Environment.ProcessPath ?? "rglens";
        prefix.Add(process);
        if (Path.GetFileNameWithoutExtension(process) == "dotnet") prefix.Add(Assembly.GetEntryAssembly()!.Location);
        string[] drop = ["--executor", "--out", "--force", "--json", "--dry-run", "--resume", "--partition", "--time", "--mem", "--throttle", "--cells-per-task", "--cpus-per-task", "--threads", "--cell"];
        string[] flags = ["--force", "--json", "--dry-run", "--resume"];
        var args = new List<string>();
        var a = ctx.Arguments;
        for (int i = 0; i < a.Count; i++)
        {
            string name = a[i].Split('=')[0];
            if (drop.Contains(name))
            {
                if (!flags.Contains(name) && !a[i].Contains('=')) i++;
                continue;
            }
            args.Add(a[i]);
        }
        return [.. prefix, .. args, "--out", folder, "--threads", cpus.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cell", "{cell}"];
    }

    private static IEnumerable<SweepAxis> GridFile(string path)
    {
        JsonNode? root;
        // The shared input checks first: reading a FIFO without a writer would block for ever.
        InputFile.Require(path, "--grid-file");
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new UsageException($"--grid-file '{path}': {e.Message.ReplaceLineEndings(" ")}");
        }
        if (root?["axes"] is not JsonObject axes) throw new UsageException($"--grid-file '{path}': expected {{\"axes\": {{\"NAME\": [values] or \"v1,v2\" or \"start:stop:count\"}}}}.");
        foreach (var (name, value) in axes)
        {
            string text = value switch
            {
                JsonArray list => string.Join(",", list.Select(v => v is JsonValue jv && jv.TryGetValue<double>(out double d) ? SweepAxis.Format(d) : v?.ToString() ?? "")),
                JsonValue v => v.ToString(),
                _ => "",
            };
            yield return SweepAxis.Parse($"{name}={text}");
        }
    }

}
