using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RgLens.Experiments;
using RgLens.IO;

namespace RgLens.Sweeps;

/// <summary>
/// The folder of a sweep: <c>sweep-spec.json</c> (what the sweep is: its axes, base configuration
/// and a fingerprint of every cell's configuration), <c>cells/cell-NNNNNN.json</c> (one per finished
/// cell, written atomically by whichever process ran it: a local worker or a Slurm array task),
/// and the merged outputs. A folder holding another sweep is refused unless forced; the same sweep
/// resumes.
/// </summary>
public sealed class SweepFolder
{
    private SweepFolder(string path) => Path = path;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Where the cell files are.</summary>
    public string CellsPath => System.IO.Path.Combine(Path, "cells");

    /// <summary>
    /// Opens <paramref name="path"/> for the sweep of <paramref name="cells"/>: creates it, resumes
    /// it when it holds the same sweep, and refuses (or, forced, clears the cell files of) another
    /// sweep or a folder that is not a sweep.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds something else and <paramref name="force"/> is false, or it cannot be created.</exception>
    public static SweepFolder Open(string path, CorrespondenceConfig baseConfig, IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepCell> cells, bool force)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full)) throw new ArgumentException($"--out '{path}' is a file; give a folder.");
        var folder = new SweepFolder(full);
        string fingerprint = Fingerprint(cells);
        string spec = System.IO.Path.Combine(full, "sweep-spec.json");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any(e => System.IO.Path.GetFileName(e) != OutputLock.FileName))
        {
            string? existing = null;
            try
            {
                if (File.Exists(spec)) existing = JsonNode.Parse(File.ReadAllText(spec))?["fingerprint"]?.GetValue<string>();
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                existing = null;
            }
            if (existing != fingerprint)
            {
                if (!force)
                    throw new ArgumentException(existing is null
                        ? $"--out '{path}' exists and is not an rglens sweep; choose another folder or pass --force."
                        : $"--out '{path}' holds a different sweep; choose another folder or pass --force (its cell results are then discarded).");
                if (Directory.Exists(folder.CellsPath)) Directory.Delete(folder.CellsPath, recursive: true);
            }
        }
        try
        {
            Directory.CreateDirectory(folder.CellsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot create --out '{path}': {e.Message}");
        }
        var o = new JsonObject
        {
            ["tool"] = "rglens",
            ["command"] = "sweep",
            ["fingerprint"] = fingerprint,
            ["axes"] = new JsonArray(axes.Select(a => (JsonNode?)new JsonObject { ["name"] = a.Name, ["values"] = new JsonArray(a.Values.Select(v => (JsonNode?)v).ToArray()) }).ToArray()),
            ["cells"] = cells.Count,
            ["base"] = Stable(CorrespondenceJson.Config(baseConfig)),
        };
        AtomicFile.WriteAllText(spec, JsonOutput.Serialize(o) + "\n", immediate: true);
        return folder;
    }

    /// <summary>Opens an existing sweep folder without checking it (a Slurm task running one cell).</summary>
    public static SweepFolder Existing(string path) => new(System.IO.Path.GetFullPath(path));

    /// <summary>The cell file of <paramref name="cell"/>.</summary>
    public string CellFile(SweepCell cell) => System.IO.Path.Combine(CellsPath, cell.FileName);

    /// <summary>Whether the cell finished (ok) in an earlier or concurrent run.</summary>
    public bool IsDone(SweepCell cell) => Read(cell) is { Status: "ok" };

    /// <summary>Writes a cell's result atomically.</summary>
    public void Write(SweepCell cell, SweepCellResult result)
    {
        Directory.CreateDirectory(CellsPath);
        var o = new JsonObject
        {
            ["index"] = cell.Index,
            ["coordinates"] = new JsonObject(cell.Coordinates.Select(c => KeyValuePair.Create(c.Axis, (JsonNode?)c.Value))),
            ["status"] = result.Status,
            ["error"] = result.Error,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["rows"] = new JsonArray(result.Rows.Select(r => (JsonNode?)r.ToJson()).ToArray()),
        };
        // Finished cells are what a rerun resumes from: visible at once, not with the run's set.
        AtomicFile.WriteAllText(CellFile(cell), JsonOutput.Serialize(o) + "\n", immediate: true);
    }

    /// <summary>A cell's result, or null when it has no (readable) file.</summary>
    public SweepCellResult? Read(SweepCell cell)
    {
        string file = CellFile(cell);
        if (!File.Exists(file)) return null;
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            if (o["index"]?.GetValue<int>() != cell.Index) return null;
            var rows = o["rows"]!.AsArray().Select(r => SweepRow.FromJson(cell.Index, cell.Coordinates, r!.AsObject())).ToArray();
            return new SweepCellResult(o["status"]!.GetValue<string>(), o["error"]?.GetValue<string>() ?? "", o["seconds"]?.GetValue<double>() ?? double.NaN, rows);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null; // a torn or foreign file counts as missing: the cell runs again
        }
    }

    /// <summary>SHA-256 of every cell's configuration (threads left out: results do not depend on them).</summary>
    public static string Fingerprint(IReadOnlyList<SweepCell> cells)
    {
        var sb = new StringBuilder();
        foreach (var c in cells) sb.Append(Stable(CorrespondenceJson.Config(c.Config)).ToJsonString()).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static JsonObject Stable(JsonObject config)
    {
        config.Remove("threads");
        return config;
    }
}

/// <summary>What a cell left: "ok" with its rows, or "failed" with the error.</summary>
/// <param name="Status">"ok" or "failed".</param>
/// <param name="Error">The one-line error of a failed cell.</param>
/// <param name="Seconds">The cell's run time (not part of the merged results).</param>
/// <param name="Rows">The rows (a failed cell: one row with the error).</param>
public sealed record SweepCellResult(string Status, string Error, double Seconds, IReadOnlyList<SweepRow> Rows);
