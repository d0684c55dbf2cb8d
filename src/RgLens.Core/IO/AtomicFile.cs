using System.Collections.Concurrent;

namespace RgLens.IO;

/// <summary>
/// A file written atomically (docs/reliability.md, "Output files"): the content goes to a hidden
/// temporary file beside the target, which replaces the target only on <see cref="Commit"/>.
/// Disposing without committing deletes the temporary file, as does a Ctrl+C or SIGTERM (through
/// <see cref="DeleteAllPending"/>), so a killed run never leaves a half-written result under the
/// target's name. Temporaries of processes that died by SIGKILL are removed the next time
/// anything is written to the same target.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> s_pending = new();
    private readonly FileStream _stream;
    private bool _committed;

    private AtomicFile(string target, string temp, FileStream stream)
    {
        TargetPath = target;
        TempPath = temp;
        _stream = stream;
    }

    /// <summary>The final path.</summary>
    public string TargetPath { get; }

    /// <summary>The hidden temporary path being written.</summary>
    public string TempPath { get; }

    /// <summary>The stream to write the content to.</summary>
    public Stream Stream => _stream;

    /// <summary>Starts writing <paramref name="path"/>; fails with one clear line if its folder cannot be written.</summary>
    /// <exception cref="RgLensException">The folder does not exist or cannot be written.</exception>
    public static AtomicFile Create(string path)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        if (name.Length == 0) throw new RgLensException($"cannot write '{path}': it names a folder, not a file.");
        if (!Directory.Exists(dir)) throw new RgLensException($"cannot write '{path}': folder '{dir}' does not exist.");
        if (Directory.Exists(full)) throw new RgLensException($"cannot write '{path}': a folder of that name exists.");
        RemoveStale(dir, name);
        string temp = Path.Combine(dir, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            s_pending[temp] = 0;
            return new AtomicFile(full, temp, fs);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RgLensException($"cannot write '{path}': {e.Message}", e);
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var f = Create(path);
        f.Stream.Write(bytes);
        f.Commit();
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Flushes to disk and moves the temporary file over the target.</summary>
    public void Commit()
    {
        if (_committed) return;
        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(TempPath, TargetPath, overwrite: true);
            _committed = true;
            s_pending.TryRemove(TempPath, out _);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RgLensException($"cannot write '{TargetPath}': {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_committed) return;
        _stream.Dispose();
        TryDelete(TempPath);
        s_pending.TryRemove(TempPath, out _);
    }

    /// <summary>Deletes every temporary file not yet committed (called on Ctrl+C, SIGTERM and process exit).</summary>
    public static void DeleteAllPending()
    {
        foreach (var temp in s_pending.Keys)
        {
            TryDelete(temp);
            s_pending.TryRemove(temp, out _);
        }
    }

    private static void RemoveStale(string dir, string name)
    {
        string prefix = $".{name}.";
        try
        {
            foreach (var f in Directory.EnumerateFiles(dir, $".{name}.*.partial"))
            {
                string middle = Path.GetFileName(f)[prefix.Length..];
                int dot = middle.IndexOf('.');
                if (dot > 0 && int.TryParse(middle[..dot], out int pid) && !ProcessAlive(pid)) TryDelete(f);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Stale temporaries are only tidied when possible; the write itself reports real errors.
        }
    }

    private static bool ProcessAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { }
    }
}
