using System.Text.Json.Nodes;
using RgLens.IO;

namespace RgLens.Sweeps;

/// <summary>A merged sweep: every cell's status and rows, and what the machinery cost.</summary>
/// <param name="Axes">The axes.</param>
/// <param name="Cells">Every cell.</param>
/// <param name="Results">Each cell's result, null when it has none (never ran, or its task was lost).</param>
/// <param name="Rows">The merged table (failed cells: one row marking the failure; missing cells: none).</param>
/// <param name="Executor">"local" or "slurm".</param>
/// <param name="JobId">The Slurm job id, when there was one.</param>
/// <param name="WallSeconds">Wall time of this invocation.</param>
/// <param name="MachinerySeconds">Time spent outside the cells' own experiments (grid, cell files, merge, tables, report), summed like the cells' times (NaN for Slurm, where the tasks' bookkeeping runs on the nodes).</param>
public sealed record SweepSummary(
    IReadOnlyList<SweepAxis> Axes,
    IReadOnlyList<SweepCell> Cells,
    IReadOnlyList<SweepCellResult?> Results,
    IReadOnlyList<SweepRow> Rows,
    string Executor,
    string? JobId,
    double WallSeconds,
    double MachinerySeconds)
{
    /// <summary>Cells that finished.</summary>
    public int Ok => Results.Count(r => r?.Status == "ok");

    /// <summary>Cells that failed at run time.</summary>
    public int Failed => Results.Count(r => r is not null && r.Status != "ok");

    /// <summary>Cells without a result.</summary>
    public int Missing => Results.Count(r => r is null);

    /// <summary>The cells' own run time, summed (this and earlier invocations).</summary>
    public double CellSeconds => Results.Where(r => r is not null).Sum(r => r!.Seconds);

    /// <summary>Merges the cell files of <paramref name="folder"/>; writes results.csv, results.parquet and sweep.json.</summary>
    public static SweepSummary Merge(SweepFolder folder, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepCell> cells, string executor, string? jobId,
        double wallSeconds, double machinerySeconds)
    {
        var results = cells.Select(folder.Read).ToArray();
        var rows = results.Where(r => r is not null).SelectMany(r => r!.Rows).ToArray();
        var summary = new SweepSummary(axes, cells, results, rows, executor, jobId, wallSeconds, machinerySeconds);
        SweepTable.Write(folder.Path, axes, rows);
        return summary;
    }

    /// <summary>sweep.json: grid, version, per-cell status and timing, machinery cost.</summary>
    public JsonObject Json() => new()
    {
        ["tool"] = "rglens",
        ["command"] = "sweep",
        ["version"] = RunManifest.Version,
        ["executor"] = Executor,
        ["job_id"] = JobId,
        ["axes"] = new JsonArray(Axes.Select(a => (JsonNode?)new JsonObject { ["name"] = a.Name, ["values"] = new JsonArray(a.Values.Select(v => (JsonNode?)v).ToArray()) }).ToArray()),
        ["counts"] = new JsonObject { ["cells"] = Cells.Count, ["ok"] = Ok, ["failed"] = Failed, ["missing"] = Missing },
        ["timing"] = new JsonObject
        {
            ["wall_seconds"] = Math.Round(WallSeconds, 3),
            ["cells_seconds"] = Math.Round(CellSeconds, 3),
            ["machinery_seconds"] = Math.Round(MachinerySeconds, 3),
            ["machinery_fraction"] = CellSeconds > 0 ? Math.Round(MachinerySeconds / CellSeconds, 4) : null,
        },
        ["cells"] = new JsonArray(Cells.Select((c, i) => (JsonNode?)new JsonObject
        {
            ["index"] = c.Index,
            ["coordinates"] = new JsonObject(c.Coordinates.Select(x => KeyValuePair.Create(x.Axis, (JsonNode?)x.Value))),
            ["seed"] = c.Config.Seed,
            ["status"] = Results[i]?.Status ?? "missing",
            ["error"] = Results[i]?.Error is { Length: > 0 } e ? e : null,
            ["seconds"] = Results[i] is { } r ? Math.Round(r.Seconds, 3) : null,
        }).ToArray()),
    };
}
