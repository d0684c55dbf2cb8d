namespace RgLens.IO;

/// <summary>
/// The output folder of a run (e.g. <c>train --out</c>): it may exist (then it must be a folder
/// that can be written) or be created together with missing parents below the nearest existing
/// folder (which must be writable, and no part of the path may be a file). Every refusal is one
/// <see cref="RgLensException"/> line, found before any work starts; the files inside are then
/// written with <see cref="AtomicFile"/>.
/// </summary>
public static class OutputFolder
{
    /// <summary>Checks that <paramref name="path"/> can serve as an output folder without creating anything.</summary>
    /// <param name="path">The folder as the user gave it.</param>
    /// <param name="option">The option that named it, for the message (e.g. <c>--out</c>).</param>
    /// <returns>The full path.</returns>
    /// <exception cref="RgLensException">A file of that name (or of a parent's name) exists, or the place cannot be written.</exception>
    public static string Check(string path, string option)
    {
        string full = FullPath(path, option, "folder");
        if (File.Exists(full)) throw new RgLensException($"{option} '{path}' is a file; give a folder.");
        if (Directory.Exists(full))
        {
            Probe(full, path, option);
            return full;
        }
        // Missing folders are created (runs/x on a fresh checkout), from the nearest existing
        // ancestor, which must be a writable folder.
        string? ancestor = Path.GetDirectoryName(full);
        while (ancestor is not null && !Directory.Exists(ancestor))
        {
            if (File.Exists(ancestor)) throw new RgLensException($"cannot create {option} folder '{path}': '{ancestor}' is a file, not a folder.");
            ancestor = Path.GetDirectoryName(ancestor);
        }
        if (ancestor is null) throw new RgLensException($"cannot create {option} folder '{path}': no part of that path exists.");
        Probe(ancestor, path, option);
        return full;
    }

    /// <summary>
    /// Checks that <paramref name="path"/> can be written as one output file: not a folder, in a
    /// folder that exists or can be created (<see cref="Check"/>). Nothing is created.
    /// </summary>
    /// <returns>The full path.</returns>
    /// <exception cref="RgLensException">A folder of that name exists, or its folder cannot be written.</exception>
    public static string CheckFile(string path, string option)
    {
        string full = FullPath(path, option, "file");
        if (Directory.Exists(full) || path.EndsWith('/')) throw new RgLensException($"{option} '{path}' is a folder; give a file name.");
        Check(Path.GetDirectoryName(full)!, option);
        return full;
    }

    /// <summary><see cref="CheckFile"/>, then creates the file's folder if it is missing (removed again if the run fails).</summary>
    /// <returns>The full path of the file.</returns>
    public static string ForFile(string path, string option)
    {
        string full = CheckFile(path, option);
        CreateTracked(Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary><see cref="Check"/>, then creates the folder if it is missing.</summary>
    /// <returns>The full path.</returns>
    public static string Create(string path, string option)
    {
        string full = Check(path, option);
        try
        {
            CreateTracked(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RgLensException($"cannot create {option} folder '{path}': {e.Message}", e);
        }
        return full;
    }

    /// <summary>
    /// Creates <paramref name="folder"/> with its missing parents and tells the open
    /// <see cref="OutputSet"/> the top-most folder it created, which a failed run removes again.
    /// </summary>
    public static void CreateTracked(string folder)
    {
        string full = Path.GetFullPath(folder);
        string? top = null;
        for (string? d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) top = d;
        Directory.CreateDirectory(full);
        if (top is not null) OutputSet.FolderCreated(top);
    }

    private static string FullPath(string path, string option, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new RgLensException($"{option} needs a {what} name.");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RgLensException($"{option} '{path}' is not a usable path: {e.Message}", e);
        }
    }

    /// <summary>Creates and deletes a hidden file in <paramref name="folder"/>: permissions, read-only mounts and pseudo file systems (/proc) all fail here.</summary>
    private static void Probe(string folder, string path, string option)
    {
        string probe = Path.Combine(folder, $".rglens-write-test.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            using var fs = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The exception's own text names the probe file ("Could not find file '…'"), which
            // says nothing to the user: say what kind of refusal it was instead.
            string reason = e is UnauthorizedAccessException ? "permission denied"
                : e is FileNotFoundException or DirectoryNotFoundException ? "files cannot be created there"
                : e.Message.Replace($"'{probe}'", "a test file").Replace(probe, "a test file").TrimEnd('.');
            throw new RgLensException($"cannot write {option} folder '{path}': '{folder}' is not writable ({reason}).", e);
        }
        finally
        {
            try { File.Delete(probe); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
