using System.Diagnostics;
using System.Globalization;
using System.Text;
using RgLens.IO;

namespace RgLens.Sweeps;

/// <summary>Options of the Slurm executor (passed through to sbatch).</summary>
/// <param name="Partition">--partition, or null for the cluster's default.</param>
/// <param name="Time">--time (e.g. "00:30:00"), or null.</param>
/// <param name="Memory">--mem (e.g. "2G"), or null.</param>
/// <param name="Throttle">The array's % throttle: tasks running at once.</param>
/// <param name="CellsPerTask">Cells run one after another by each array task (chunking keeps arrays under MaxArraySize).</param>
/// <param name="CpusPerTask">--cpus-per-task; each cell uses that many threads.</param>
/// <param name="Poll">How often squeue is asked.</param>
public sealed record SlurmOptions(string? Partition = null, string? Time = null, string? Memory = null, int Throttle = 8, int CellsPerTask = 1, int CpusPerTask = 1, TimeSpan? Poll = null)
{
    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        if (Throttle < 1) throw new ArgumentException($"--throttle must be >= 1; got {Throttle}.");
        if (CellsPerTask < 1) throw new ArgumentException($"--cells-per-task must be >= 1; got {CellsPerTask}.");
        if (CpusPerTask < 1) throw new ArgumentException($"--cpus-per-task must be >= 1; got {CpusPerTask}.");
        foreach (var (name, value) in new[] { ("--partition", Partition), ("--time", Time), ("--mem", Memory) })
            if (value is not null && (value.Length == 0 || value.Any(ch => char.IsWhiteSpace(ch) || ch is '\'' or '"' or '$' or '`' or ';' or '\\')))
                throw new ArgumentException($"{name} '{value}' is not a plain Slurm value.");
    }
}

/// <summary>
/// Runs a sweep's pending cells as one Slurm job array: writes slurm/sweep.sbatch into the sweep
/// folder (one array task per chunk of cells, each running <c>rglens sweep … --cell I</c>, which
/// writes its cell file atomically into the shared folder), submits it with <c>sbatch --parsable</c>,
/// follows it with <c>squeue</c> until it has left the queue, and returns; the caller merges what the
/// cell files say, exactly as after a local run. Cancelling cancels the job (<c>scancel</c>).
/// </summary>
public static class SlurmExecutor
{
    /// <summary>The sbatch script for <paramref name="pending"/>.</summary>
    /// <param name="pending">The cell indices to run.</param>
    /// <param name="folder">The sweep folder (shared by the nodes).</param>
    /// <param name="taskCommand">The command that runs one cell, as argv; the element "{cell}" is replaced by the cell index.</param>
    /// <param name="options">sbatch options.</param>
    /// <param name="workingDirectory">Where the tasks run (relative paths in the command resolve there); null: sbatch's own.</param>
    public static string Script(IReadOnlyList<int> pending, string folder, IReadOnlyList<string> taskCommand, SlurmOptions options, string? workingDirectory = null)
    {
        options.Validate();
        if (pending.Count == 0) throw new ArgumentException("no cells to run.");
        int tasks = (pending.Count + options.CellsPerTask - 1) / options.CellsPerTask;
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append("# rglens sweep: one array task per chunk of cells; each cell writes cells/cell-NNNNNN.json atomically.\n");
        s.Append("#SBATCH --job-name=rglens-sweep\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{tasks - 1}%{options.Throttle}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(folder, "slurm", "task-%A_%a.out")}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={options.CpusPerTask}\n");
        if (workingDirectory is not null && !workingDirectory.Any(char.IsWhiteSpace)) s.Append($"#SBATCH --chdir={workingDirectory}\n");
        if (options.Partition is { } p) s.Append($"#SBATCH --partition={p}\n");
        if (options.Time is { } t) s.Append($"#SBATCH --time={t}\n");
        if (options.Memory is { } m) s.Append($"#SBATCH --mem={m}\n");
        s.Append("set -u\n");
        s.Append("cells=(").Append(string.Join(' ', pending.Select(i => i.ToString(CultureInfo.InvariantCulture)))).Append(")\n");
        s.Append(CultureInfo.InvariantCulture, $"first=$(( SLURM_ARRAY_TASK_ID * {options.CellsPerTask} ))\n");
        s.Append("status=0\n");
        s.Append(CultureInfo.InvariantCulture, $"for (( j = first; j < first + {options.CellsPerTask} && j < ${{#cells[@]}}; j++ )); do\n");
        s.Append("  cell=${cells[$j]}\n  ");
        s.Append(string.Join(' ', taskCommand.Select(a => a == "{cell}" ? "\"$cell\"" : Quote(a))));
        s.Append(" || status=$?\ndone\nexit $status\n");
        return s.ToString();
    }

    /// <summary>Writes the script into the folder, submits it and waits for the job to leave the queue; returns the job id.</summary>
    /// <exception cref="ArgumentException">sbatch is not on the PATH, or refuses the job (its message).</exception>
    public static string SubmitAndFollow(string script, string folder, SlurmOptions options, Action<string>? log = null, CancellationToken cancellation = default)
    {
        string sbatch = Find("sbatch") ?? throw new ArgumentException("--executor slurm needs sbatch on the PATH (is this a Slurm login node?).");
        string squeue = Find("squeue") ?? throw new ArgumentException("--executor slurm needs squeue on the PATH.");
        string dir = Path.Combine(folder, "slurm");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "sweep.sbatch");
        AtomicFile.WriteAllText(path, script, immediate: true); // the scheduler reads it now
        var (code, stdout, stderr) = Execute(sbatch, ["--parsable", path], cancellation);
        if (code != 0) throw new ArgumentException($"sbatch refused the job: {FirstLine(stderr + stdout)}");
        string job = stdout.Trim().Split(';')[0];
        log?.Invoke($"submitted Slurm job array {job} ({path})");
        var poll = options.Poll ?? TimeSpan.FromSeconds(2);
        try
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var (qc, qout, qerr) = Execute(squeue, ["-h", "-j", job, "-o", "%i %T"], cancellation);
                if (qc != 0 && !(qerr + qout).Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
                    throw new RgLensException($"squeue failed while following job {job}: {FirstLine(qerr + qout)}");
                if (qc != 0 || qout.Trim().Length == 0) break;
                cancellation.WaitHandle.WaitOne(poll);
            }
        }
        catch (OperationCanceledException)
        {
            if (Find("scancel") is { } scancel) Execute(scancel, [job], CancellationToken.None);
            throw;
        }
        return job;
    }

    /// <summary>Single-quotes an argument for bash.</summary>
    public static string Quote(string a) => a.Length > 0 && a.All(ch => char.IsLetterOrDigit(ch) || "-_./=:,+%@".Contains(ch)) ? a : "'" + a.Replace("'", "'\\''") + "'";

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();

    /// <summary>The full path of an executable on the PATH, or null.</summary>
    public static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private static (int Code, string Stdout, string Stderr) Execute(string file, IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new RgLensException($"cannot start {file}.");
        var output = p.StandardOutput.ReadToEndAsync(cancellation);
        var error = p.StandardError.ReadToEndAsync(cancellation);
        p.WaitForExit();
        return (p.ExitCode, output.Result, error.Result);
    }
}
