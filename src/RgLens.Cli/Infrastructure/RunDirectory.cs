using System.Text.Json;

namespace RgLens.Cli.Infrastructure;

/// <summary>
/// The output folder of a run: created when missing; reused when it holds a previous rglens run of
/// the same command (its run.json says so) or is empty; otherwise refused unless forced, so that a
/// typo never scatters files into an unrelated folder.
/// </summary>
public static class RunDirectory
{
    /// <summary>Prepares <paramref name="path"/> for the outputs of <paramref name="command"/>.</summary>
    /// <exception cref="UsageException">The folder exists, is not a previous run and <paramref name="force"/> is false.</exception>
    public static string Prepare(string path, string command, bool force)
    {
        // The shared checks first: a file in the way, an unwritable place (/proc, /sys, permissions).
        string full = IO.OutputFolder.Check(path, "--out");
        if (File.Exists(full)) throw new UsageException($"--out '{path}' is a file; give a folder.");
        if (Directory.Exists(full))
        {
            bool empty = !Directory.EnumerateFileSystemEntries(full).Any(e => Path.GetFileName(e) != IO.OutputLock.FileName);
            if (!empty && !force && !IsPreviousRun(full, command))
                throw new UsageException($"--out '{path}' exists and is not a previous 'rglens {command}' run; choose another folder or pass --force.");
            return full;
        }
        try
        {
            IO.OutputFolder.CreateTracked(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot create --out '{path}': {e.Message}");
        }
        return full;
    }

    private static bool IsPreviousRun(string folder, string command)
    {
        string manifest = Path.Combine(folder, "run.json");
        if (!File.Exists(manifest)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            return doc.RootElement.TryGetProperty("tool", out var tool) && tool.GetString() == "rglens"
                && doc.RootElement.TryGetProperty("command", out var c) && c.GetString() == command;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
